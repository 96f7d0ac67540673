package dev.kiln.tuner.stopping;

/**
 * Resume a paused trial: raise its {@code algorithm.epochs} to {@code epochs}. It resumes from the
 * checkpoint of epoch {@code fromEpoch}, so the next epoch it reports is {@code fromEpoch + 1}.
 *
 * @param trialIndex the trial to resume
 * @param fromEpoch the last epoch it reported (its rung)
 * @param epochs its new epoch budget (the next rung)
 */
public record Promotion(int trialIndex, int fromEpoch, int epochs) {}
