package dev.kiln.worker.collective;

/** Element-wise reductions of {@link Collective#allReduce}. */
public enum ReduceOp {
  /** The sum over ranks. */
  SUM,
  /** The sum over ranks divided by the number of ranks (after summing, on every rank alike). */
  AVG
}
