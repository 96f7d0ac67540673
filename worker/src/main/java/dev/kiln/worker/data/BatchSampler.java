package dev.kiln.worker.data;

import java.util.SplittableRandom;

/**
 * Which samples each rank trains on, the same for any rank count: one seeded permutation of all
 * rows per epoch; global batch k is positions [k*G, min((k+1)*G, rows)) of it, with G = ranks *
 * per-rank batch; rank r takes the r-th of N contiguous, near-equal slices of it.
 *
 * <p>The last global batch of an epoch is kept even when partial (rows not a multiple of G): it is
 * split the same way (slice r = [r*m/N, (r+1)*m/N) of its m samples) and gradients are scaled by
 * 1/m, so the update is the mean over the same samples whatever N is. A rank whose slice is empty
 * contributes zero gradient.
 */
public final class BatchSampler {
  private final long seed;
  private final int rows;
  private final int ranks;
  private final int globalBatch;

  public BatchSampler(long seed, int rows, int ranks, int perRankBatch) {
    if (rows < 1 || ranks < 1 || perRankBatch < 1) {
      throw new IllegalArgumentException("rows, ranks and batch must be positive");
    }
    this.seed = seed;
    this.rows = rows;
    this.ranks = ranks;
    this.globalBatch = Math.multiplyExact(ranks, perRankBatch);
  }

  /** Samples per step over all ranks (N * b). */
  public int globalBatch() {
    return globalBatch;
  }

  /** Steps per epoch, counting a final partial batch. */
  public int stepsPerEpoch() {
    return (int) ((rows + (long) globalBatch - 1) / globalBatch);
  }

  /** Samples in global batch {@code step} (G, or fewer for the last). */
  public int batchSize(int step) {
    return Math.min(globalBatch, rows - step * globalBatch);
  }

  /** Positions [from, to) of rank {@code rank}'s slice of {@code step} in the permutation. */
  public int sliceStart(int step, int rank) {
    int m = batchSize(step);
    return step * globalBatch + (int) ((long) m * rank / ranks);
  }

  /** End (exclusive) of rank {@code rank}'s slice of {@code step}. */
  public int sliceEnd(int step, int rank) {
    return sliceStart(step, rank + 1);
  }

  /** The permutation of rows for {@code epoch}: Fisher-Yates with a per-epoch seeded stream. */
  public int[] permutation(int epoch) {
    int[] p = new int[rows];
    for (int i = 0; i < rows; i++) {
      p[i] = i;
    }
    SplittableRandom random = new SplittableRandom(mix(seed, epoch));
    for (int i = rows - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  static long mix(long seed, int epoch) {
    long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
