package dev.kiln.tuner.stopping;

import dev.kiln.tuner.Goal;
import dev.kiln.tuner.Trial;
import java.util.List;
import java.util.Locale;

/**
 * Multi-fidelity scheduling and early stopping over epochs. Every method is a pure function of the
 * trials passed in (parameters, states and per-epoch metric histories), so a controller that
 * restarts rebuilds the same decisions from its trials' status.
 *
 * <p>How a controller drives it:
 *
 * <ol>
 *   <li>A new trial {@code k} is created with {@code algorithm.epochs = initialEpochs(k)}.
 *   <li>After each report of a running trial, {@link #decide} says {@code CONTINUE} or {@code STOP}
 *       (stop it: it ends {@code Succeeded} with condition {@code EarlyStopped}, state {@code
 *       STOPPED}).
 *   <li>A trial that finishes its budget below {@link #maxEpochs()} is {@code PAUSED} (its
 *       checkpoint kept); at {@code maxEpochs} it is {@code COMPLETED}.
 *   <li>When slots are free, {@link #promotions} names paused trials to resume with a larger
 *       budget; slots left over go to new trials. Paused trials never promoted count as stopped at
 *       the end of the sweep.
 * </ol>
 */
public interface EarlyStopping {
  int DEFAULT_MIN_EPOCHS = 1;
  int DEFAULT_REDUCTION_FACTOR = 3;

  /** asha, hyperband, median or none. */
  String name();

  /** The full budget: the trial template's {@code algorithm.epochs}. */
  int maxEpochs();

  /** The epoch budget trial {@code trialIndex} is created with. */
  int initialEpochs(int trialIndex);

  /** Whether {@code trial}, running, should go on, given every trial of the sweep. */
  Decision decide(Trial trial, List<Trial> trials);

  /** Paused trials to resume now, at most {@code slots}, the most promising first. */
  List<Promotion> promotions(List<Trial> trials, int slots);

  /**
   * The rule called {@code type} (asha, hyperband, median, none).
   *
   * @param minEpochs the smallest budget (ASHA's first rung; the median rule's grace period)
   * @param reductionFactor η: the top 1/η of a rung is promoted (ASHA, Hyperband)
   * @param maxEpochs the full budget, the trial template's epochs
   */
  static EarlyStopping create(
      String type, Goal goal, int minEpochs, int reductionFactor, int maxEpochs) {
    if (maxEpochs < 1) {
      throw new IllegalArgumentException("max epochs must be at least 1, got " + maxEpochs);
    }
    if (minEpochs < 1 || minEpochs > maxEpochs) {
      throw new IllegalArgumentException(
          "earlyStopping.minEpochs must be between 1 and the trial's epochs ("
              + maxEpochs
              + "), got "
              + minEpochs);
    }
    if (reductionFactor < 2) {
      throw new IllegalArgumentException(
          "earlyStopping.reductionFactor must be at least 2, got " + reductionFactor);
    }
    String t = type == null ? "none" : type.trim().toLowerCase(Locale.ROOT);
    return switch (t) {
      case "asha" ->
          new Asha(goal, Asha.rungs(minEpochs, reductionFactor, maxEpochs), reductionFactor);
      case "hyperband" -> new Hyperband(goal, minEpochs, reductionFactor, maxEpochs);
      case "median" -> new MedianStopping(goal, minEpochs, maxEpochs);
      case "none" -> new NoStopping(maxEpochs);
      default ->
          throw new IllegalArgumentException(
              "earlyStopping.type must be one of asha, hyperband, median, none, got '"
                  + type
                  + "'");
    };
  }
}
