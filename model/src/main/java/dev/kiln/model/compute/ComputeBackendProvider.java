package dev.kiln.model.compute;

/**
 * Makes {@link ComputeBackend}s; found with {@link java.util.ServiceLoader} (register in {@code
 * META-INF/services/dev.kiln.model.compute.ComputeBackendProvider}).
 */
public interface ComputeBackendProvider {

  /** The name users select it by ({@code cpu}, {@code cuda}). */
  String name();

  /** Whether this machine can run it (libraries present, a device visible). */
  boolean isAvailable();

  /** Why it is not available, for the error a user sees; empty when it is. */
  default String unavailableReason() {
    return "";
  }

  /** A backend using at most {@code threads} host threads (at least 1). */
  ComputeBackend create(int threads);
}
