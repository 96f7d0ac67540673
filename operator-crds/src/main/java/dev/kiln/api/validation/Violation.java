package dev.kiln.api.validation;

/** One thing wrong with a resource: where ({@code spec.workers}) and what, in plain words. */
public record Violation(String path, String message) {
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
