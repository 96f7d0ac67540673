package dev.kiln.model;

/** A model configuration or input that cannot be trained, with a message a user can act on. */
public class ModelConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the offending field and what was expected. */
  public ModelConfigException(String message) {
    super(message);
  }
}
