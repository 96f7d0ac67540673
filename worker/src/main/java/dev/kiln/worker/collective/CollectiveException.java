package dev.kiln.worker.collective;

/** A collective operation failed: a peer died, hung, refused the rendezvous, or broke protocol. */
public class CollectiveException extends RuntimeException {
  public CollectiveException(String message) {
    super(message);
  }

  public CollectiveException(String message, Throwable cause) {
    super(message, cause);
  }
}
