package dev.kiln.cli.train;

import dev.kiln.cli.Kiln;
import dev.kiln.cli.local.LocalClient;
import java.util.Optional;

/** Picks the backend: a cluster with {@code --context} (or KILN_CONTEXT), else local mode. */
public final class Backends {
  private Backends() {}

  public static JobBackend open(Kiln kiln) {
    Optional<String> context = kiln.context();
    if (context.isPresent()) {
      return new ClusterJobs(context.get());
    }
    return new LocalJobs(new LocalClient(kiln.localConfig()));
  }
}
