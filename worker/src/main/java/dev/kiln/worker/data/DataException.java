package dev.kiln.worker.data;

/** Bad or missing input data, with a message a user can act on (which object, line, column). */
public class DataException extends RuntimeException {
  public DataException(String message) {
    super(message);
  }

  public DataException(String message, Throwable cause) {
    super(message, cause);
  }
}
