package dev.kiln.endpoint.batch;

/** Told about each forward pass, for metrics. Called on the batcher's thread: keep it cheap. */
public interface BatchListener {

  /** A batch of {@code rows} rows from {@code requests} requests ran in {@code nanos}. */
  void batchRan(int rows, int requests, long nanos);

  BatchListener NONE = (rows, requests, nanos) -> {};
}
