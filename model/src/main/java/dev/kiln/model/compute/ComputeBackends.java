package dev.kiln.model.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds compute backends by name through {@link ServiceLoader}. */
public final class ComputeBackends {
  private ComputeBackends() {}

  /** Every registered provider, available or not. */
  public static List<ComputeBackendProvider> providers() {
    List<ComputeBackendProvider> found = new ArrayList<>();
    ServiceLoader.load(ComputeBackendProvider.class, ComputeBackends.class.getClassLoader())
        .forEach(found::add);
    return found;
  }

  /**
   * Creates the backend called {@code name} with at most {@code threads} threads.
   *
   * @throws IllegalArgumentException when no such backend is registered or it cannot run here; the
   *     message says which names exist or why it is unavailable. There is no silent fallback.
   */
  public static ComputeBackend create(String name, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    List<String> names = new ArrayList<>();
    for (ComputeBackendProvider p : providers()) {
      names.add(p.name());
      if (p.name().equals(name)) {
        if (!p.isAvailable()) {
          throw new IllegalArgumentException(
              "compute backend '" + name + "' is not available: " + p.unavailableReason());
        }
        return p.create(threads);
      }
    }
    throw new IllegalArgumentException(
        "no compute backend named '" + name + "' (registered: " + String.join(", ", names) + ")");
  }

  /** The CPU backend with all available processors. */
  public static ComputeBackend cpu() {
    return create("cpu", Runtime.getRuntime().availableProcessors());
  }
}
