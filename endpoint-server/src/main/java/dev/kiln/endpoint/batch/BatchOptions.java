package dev.kiln.endpoint.batch;

/**
 * How requests are grouped into batches.
 *
 * @param maxBatchSize rows per forward pass; 1 turns batching off (a request with more rows still
 *     runs whole, alone)
 * @param maxDelayMicros how long a forming batch may wait for requests already being read; a lone
 *     request on an empty queue never waits
 * @param maxQueue requests waiting at most; one more is refused (HTTP 429)
 */
public record BatchOptions(int maxBatchSize, long maxDelayMicros, int maxQueue) {

  public BatchOptions {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be at least 1, got " + maxBatchSize);
    }
    if (maxDelayMicros < 0) {
      throw new IllegalArgumentException("maxDelayMicros must be >= 0, got " + maxDelayMicros);
    }
    if (maxQueue < 1) {
      throw new IllegalArgumentException("maxQueue must be at least 1, got " + maxQueue);
    }
  }

  /** The same options with batching off: every request runs alone. */
  public BatchOptions unbatched() {
    return new BatchOptions(1, 0, maxQueue);
  }
}
