package dev.kiln.worker.nccl;

/** An NCCL or CUDA driver call failed, or a library could not be loaded; the message says which. */
public final class NcclException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NcclException(String message) {
    super(message);
  }
}
