package dev.kiln.scheduler.k8s;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;

/** Nodes and gang pods as the control plane and the cluster would create them. */
final class K8sFixture {
  private K8sFixture() {}

  static Node node(String name, int gpus, String zone, String rack) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(Map.of(PodResources.ZONE_LABEL, zone, "kiln.dev/rack", rack))
        .endMetadata()
        .withNewStatus()
        .withAllocatable(
            Map.of(
                "cpu",
                new Quantity("64"),
                "memory",
                new Quantity("512Gi"),
                PodResources.GPU,
                new Quantity(Integer.toString(gpus))))
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .endStatus()
        .build();
  }

  /** Rank {@code rank} of a gang of {@code size} pods, each with {@code gpus} GPUs as limits. */
  static Pod rank(String ns, String job, int attempt, int size, int rank, int gpus) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(job + "-" + rank)
        .withLabels(
            Map.of(
                PodGang.JOB_LABEL, job,
                PodGang.ATTEMPT_LABEL, Integer.toString(attempt),
                PodGang.GANG_SIZE_LABEL, Integer.toString(size),
                PodGang.RANK_LABEL, Integer.toString(rank)))
        .endMetadata()
        .withNewSpec()
        .withSchedulerName(PodGang.SCHEDULER_NAME)
        .addNewContainer()
        .withName("rank")
        .withImage("ghcr.io/kiln/worker:dev")
        .withNewResources()
        .withRequests(Map.of("cpu", new Quantity("4"), "memory", new Quantity("32Gi")))
        .withLimits(Map.of(PodResources.GPU, new Quantity(Integer.toString(gpus))))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  /** A pod another scheduler already placed on {@code node}. */
  static Pod foreign(String ns, String name, String node, int gpus) {
    return new PodBuilder(rank(ns, name, 0, 1, 0, gpus))
        .editMetadata()
        .withLabels(Map.of())
        .endMetadata()
        .editSpec()
        .withSchedulerName("default-scheduler")
        .withNodeName(node)
        .endSpec()
        .build();
  }

  static void create(KubernetesClient client, Object... objects) {
    for (Object o : objects) {
      if (o instanceof Node n) {
        client.nodes().resource(n).create();
      } else if (o instanceof Pod p) {
        client.pods().inNamespace(p.getMetadata().getNamespace()).resource(p).create();
      }
    }
  }

  /**
   * What the API server does on a Binding and the CRUD mock does not: set the pod's node. The mock
   * stores Bindings as plain objects, so tests apply them here.
   */
  static void applyBindings(KubernetesClient client, String ns) {
    for (Binding b : client.bindings().inNamespace(ns).list().getItems()) {
      Pod p = client.pods().inNamespace(ns).withName(b.getMetadata().getName()).get();
      if (p != null && p.getSpec().getNodeName() == null) {
        client
            .pods()
            .inNamespace(ns)
            .withName(p.getMetadata().getName())
            .edit(
                x ->
                    new PodBuilder(x)
                        .editSpec()
                        .withNodeName(b.getTarget().getName())
                        .endSpec()
                        .build());
      }
    }
  }

  static Map<String, String> bindings(KubernetesClient client, String ns) {
    Map<String, String> out = new java.util.TreeMap<>();
    for (Binding b : client.bindings().inNamespace(ns).list().getItems()) {
      out.put(b.getMetadata().getName(), b.getTarget().getName());
    }
    return out;
  }

  static List<Node> nodes(KubernetesClient client) {
    return client.nodes().list().getItems();
  }

  static List<Pod> pods(KubernetesClient client) {
    return client.pods().inAnyNamespace().list().getItems();
  }
}
