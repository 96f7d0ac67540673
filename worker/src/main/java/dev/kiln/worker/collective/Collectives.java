package dev.kiln.worker.collective;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Opens a {@link Collective} by backend name ({@code tcp}, {@code shm}, {@code nccl}). */
public final class Collectives {
  private Collectives() {}

  /** Joins the gang with the named backend; fails with the list of known names if it is unknown. */
  public static Collective open(String backend, CollectiveConfig config) {
    return provider(backend).open(config);
  }

  /** The provider registered under {@code backend}, if available on this machine. */
  public static CollectiveProvider provider(String backend) {
    List<String> known = new ArrayList<>();
    for (CollectiveProvider p : ServiceLoader.load(CollectiveProvider.class)) {
      if (p.name().equals(backend)) {
        if (!p.isAvailable()) {
          throw new IllegalArgumentException(
              "collective backend '" + backend + "' is not available: " + p.unavailableReason());
        }
        return p;
      }
      known.add(p.name());
    }
    throw new IllegalArgumentException(
        "unknown collective backend '" + backend + "'; known: " + String.join(", ", known));
  }
}
