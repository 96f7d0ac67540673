package dev.kiln.controlplane.testing;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * Installs Kiln's generated CRDs (from the operator-crds jar) into the test API server before the
 * control plane starts: it installs none itself, and the test server learns from them which kinds
 * have a status subresource. Also adds {@link #NODES} roomy nodes, so that admission (which places
 * every gang through the scheduler core) has somewhere to put the tests' jobs.
 */
public class KilnCrds implements Consumer<KubernetesServer> {
  public static final List<String> FILES =
      List.of(
          "trainingjobs.kiln.dev-v1.yml",
          "tuningjobs.kiln.dev-v1.yml",
          "inferenceendpoints.kiln.dev-v1.yml",
          "queues.kiln.dev-v1.yml");

  public static final int NODES = 4;

  @Override
  public void accept(KubernetesServer server) {
    install(server.getClient());
    for (int i = 0; i < NODES; i++) {
      server.getClient().nodes().resource(node("test-node-" + i, 64, "256Gi", 8)).create();
    }
  }

  /** A Ready node with this much allocatable CPU, memory and GPUs. */
  public static Node node(String name, int cpus, String memory, int gpus) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("topology.kubernetes.io/zone", "zone-a")
        .endMetadata()
        .withNewStatus()
        .addToAllocatable("cpu", new Quantity(Integer.toString(cpus)))
        .addToAllocatable("memory", new Quantity(memory))
        .addToAllocatable("nvidia.com/gpu", new Quantity(Integer.toString(gpus)))
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .endStatus()
        .build();
  }

  public static void install(KubernetesClient client) {
    for (String file : FILES) {
      try (InputStream in = KilnCrds.class.getResourceAsStream("/META-INF/fabric8/" + file)) {
        if (in == null) {
          throw new IllegalStateException("no generated CRD " + file + " on the classpath");
        }
        CustomResourceDefinition crd =
            client.apiextensions().v1().customResourceDefinitions().load(in).item();
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
