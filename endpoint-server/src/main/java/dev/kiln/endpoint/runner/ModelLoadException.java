package dev.kiln.endpoint.runner;

/** A model could not be fetched or opened; the message says what was expected where. */
public class ModelLoadException extends RuntimeException {

  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
