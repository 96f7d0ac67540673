package dev.kiln.scheduler.k8s;

import dev.kiln.scheduler.core.Resources;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/** Reads what pods request and nodes offer, in the core's units. Pure. */
public final class PodResources {
  static final String GPU = "nvidia.com/gpu";
  static final String ZONE_LABEL = "topology.kubernetes.io/zone";

  private PodResources() {}

  /**
   * What a pod needs on its node: the sum over containers, or the largest init container if that is
   * more, per dimension. A request defaults to the limit, as the API server defaults it (GPUs are
   * usually given as limits only).
   */
  public static Resources requests(Pod pod) {
    Resources sum = Resources.ZERO;
    for (Container c : pod.getSpec().getContainers()) {
      sum = sum.plus(requests(c));
    }
    List<Container> init = pod.getSpec().getInitContainers();
    if (init != null) {
      for (Container c : init) {
        sum = max(sum, requests(c));
      }
    }
    return sum;
  }

  static Resources allocatable(Node node) {
    Map<String, Quantity> a =
        node.getStatus() == null || node.getStatus().getAllocatable() == null
            ? Map.of()
            : node.getStatus().getAllocatable();
    return new Resources(milli(a.get("cpu")), whole(a.get("memory")), (int) whole(a.get(GPU)));
  }

  /** The core's view of a node: topology from the zone label and the configured rack label. */
  public static dev.kiln.scheduler.core.Node toCore(Node node, String rackLabel) {
    Map<String, String> labels = node.getMetadata().getLabels();
    labels = labels == null ? Map.of() : labels;
    return new dev.kiln.scheduler.core.Node(
        node.getMetadata().getName(),
        allocatable(node),
        labels.getOrDefault(ZONE_LABEL, ""),
        labels.getOrDefault(rackLabel, ""));
  }

  /** Ready (or not reporting) and not cordoned. */
  public static boolean schedulable(Node node) {
    if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
      return false;
    }
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return true;
    }
    for (NodeCondition c : node.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return true;
  }

  private static Resources requests(Container c) {
    ResourceRequirements r = c.getResources();
    if (r == null) {
      return Resources.ZERO;
    }
    Map<String, Quantity> req = r.getRequests() == null ? Map.of() : r.getRequests();
    Map<String, Quantity> lim = r.getLimits() == null ? Map.of() : r.getLimits();
    return new Resources(
        milli(req.getOrDefault("cpu", lim.get("cpu"))),
        whole(req.getOrDefault("memory", lim.get("memory"))),
        (int) whole(req.getOrDefault(GPU, lim.get(GPU))));
  }

  private static Resources max(Resources a, Resources b) {
    return new Resources(
        Math.max(a.milliCpu(), b.milliCpu()),
        Math.max(a.memoryBytes(), b.memoryBytes()),
        Math.max(a.gpus(), b.gpus()));
  }

  private static long milli(Quantity q) {
    return q == null
        ? 0
        : Quantity.getAmountInBytes(q)
            .multiply(BigDecimal.valueOf(1000))
            .setScale(0, RoundingMode.CEILING)
            .longValueExact();
  }

  private static long whole(Quantity q) {
    return q == null
        ? 0
        : Quantity.getAmountInBytes(q).setScale(0, RoundingMode.CEILING).longValueExact();
  }
}
