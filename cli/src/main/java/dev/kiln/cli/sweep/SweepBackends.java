package dev.kiln.cli.sweep;

import dev.kiln.cli.Kiln;
import dev.kiln.cli.local.LocalClient;

/** Picks the backend: a cluster with {@code --context} (or KILN_CONTEXT), else local mode. */
public final class SweepBackends {
  private SweepBackends() {}

  public static SweepBackend open(Kiln kiln) {
    return kiln.context().isPresent()
        ? new ClusterSweeps(kiln.context().get())
        : local(new LocalClient(kiln.localConfig()));
  }

  /** Sweeps of a local control plane (the client is closed with the backend). */
  public static SweepBackend local(LocalClient client) {
    return new LocalSweeps(client);
  }
}
