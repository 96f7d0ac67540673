package dev.kiln.controlplane.admission;

import dev.kiln.controlplane.testing.KilnCrds;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.util.function.Consumer;

/** Kiln's CRDs and no nodes: the admission tests make the nodes they need. */
public class CrdsOnly implements Consumer<KubernetesServer> {
  @Override
  public void accept(KubernetesServer server) {
    KilnCrds.install(server.getClient());
  }
}
