package dev.kiln.endpoint.batch;

/** The batcher refused a request: its queue is full, or it is shutting down. */
public final class Rejected extends RuntimeException {

  /** Why a request was refused. */
  public enum Reason {
    QUEUE_FULL,
    SHUTTING_DOWN
  }

  private final Reason reason;

  Rejected(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
