package dev.kiln.worker.checkpoint;

import dev.kiln.model.OptimizerState;

/**
 * Training state at an epoch boundary: enough to continue bit-identically.
 *
 * <p>The random state is the seed: the sample permutation of epoch e and the dropout masks are pure
 * functions of (seed, epoch, sample index), so epoch and seed restore them exactly.
 *
 * @param epoch epochs completed
 * @param step optimizer steps taken (over all completed epochs)
 * @param parameters the network's parameters (one flat array)
 * @param optimizer the optimizer's state
 * @param inputWidth features per sample the network was built for
 * @param seed {@code algorithm.seed}
 * @param dataDigest digest of the training channel, to notice data that changed under a resume
 */
public record Checkpoint(
    int epoch,
    long step,
    float[] parameters,
    OptimizerState optimizer,
    int inputWidth,
    long seed,
    String dataDigest) {}
