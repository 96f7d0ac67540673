package dev.kiln.scheduler.k8s;

import dev.kiln.scheduler.core.Admission;
import dev.kiln.scheduler.core.ClusterSnapshot;
import dev.kiln.scheduler.core.GangScheduler;
import dev.kiln.scheduler.core.QueueSpec;
import dev.kiln.scheduler.core.Resources;
import dev.kiln.scheduler.core.SchedulingDecision;
import dev.kiln.scheduler.core.Topology;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides one binder pass from the nodes, the pods and the binder's reservations. Admission already
 * happened in the control plane, so every complete gang is placed if it fits, highest priority and
 * oldest first; the core places it all-or-nothing. Pure: values in, plan out.
 */
final class BindPlanner {
  static final String UNSCHEDULABLE = "Unschedulable";
  static final String WAITING_FOR_GANG = "WaitingForGang";

  // Quota is the control plane's job; here every gang is already admitted.
  private static final QueueSpec UNLIMITED =
      new QueueSpec(
          "admitted",
          new Resources(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, Integer.MAX_VALUE / 4),
          1);

  private final GangScheduler core;
  private final String rackLabel;

  BindPlanner(GangScheduler core, String rackLabel) {
    this.core = core;
    this.rackLabel = rackLabel;
  }

  /** {@code reservations}: pod key to the node the binder chose, while its bind is in flight. */
  BindPlan plan(List<Node> nodes, List<Pod> pods, Map<String, String> reservations) {
    Map<String, Pod> live = new HashMap<>();
    for (Pod p : pods) {
      if (!PodGang.finished(p)) {
        live.put(PodGang.podKey(p), p);
      }
    }
    Set<String> released = new HashSet<>();
    Map<String, Resources> usage = new HashMap<>();
    for (Pod p : live.values()) {
      if (PodGang.isBound(p)) {
        usage.merge(p.getSpec().getNodeName(), PodResources.requests(p), Resources::plus);
      }
    }
    reservations.forEach(
        (pod, node) -> {
          Pod p = live.get(pod);
          if (p == null || PodGang.isBound(p)) {
            released.add(pod);
          } else {
            usage.merge(node, PodResources.requests(p), Resources::plus);
          }
        });
    Topology topology =
        Topology.of(
            nodes.stream()
                .filter(PodResources::schedulable)
                .map(n -> PodResources.toCore(n, rackLabel))
                .toList());

    List<BindPlan.Placement> placements = new ArrayList<>();
    List<PodGang> rollbacks = new ArrayList<>();
    List<BindPlan.Waiting> waiting = new ArrayList<>();
    List<PodGang> ready = new ArrayList<>();
    for (PodGang g : PodGang.group(pods)) {
      boolean inFlight =
          g.pods().stream()
              .anyMatch(
                  p ->
                      reservations.containsKey(PodGang.podKey(p))
                          && !released.contains(PodGang.podKey(p)));
      if (inFlight || g.unbound().isEmpty()) {
        continue;
      }
      if (!g.bound().isEmpty()) {
        rollbacks.add(g);
      } else if (!g.complete()) {
        waiting.add(
            new BindPlan.Waiting(
                g,
                WAITING_FOR_GANG,
                "waiting for all "
                    + g.size()
                    + " pods of the gang, "
                    + g.pods().size()
                    + " exist"));
      } else {
        ready.add(g);
      }
    }
    ready.sort(
        Comparator.comparingInt(PodGang::priority)
            .reversed()
            .thenComparing(PodGang::created)
            .thenComparing(PodGang::key));
    for (PodGang g : ready) {
      ClusterSnapshot snapshot =
          new ClusterSnapshot(topology, List.of(UNLIMITED), List.of(), usage);
      SchedulingDecision d = core.decide(snapshot, List.of(withQueue(g)));
      if (d.admitted().isEmpty()) {
        waiting.add(new BindPlan.Waiting(g, UNSCHEDULABLE, d.pending().get(0).message()));
        continue;
      }
      Admission a = d.admitted().get(0);
      placements.add(new BindPlan.Placement(g, a.rankNodes()));
      for (int i = 0; i < a.rankNodes().size(); i++) {
        usage.merge(a.rankNodes().get(i), PodResources.requests(g.pods().get(i)), Resources::plus);
      }
    }
    return new BindPlan(placements, rollbacks, waiting, released);
  }

  private static dev.kiln.scheduler.core.Gang withQueue(PodGang g) {
    dev.kiln.scheduler.core.Gang c = g.toCore();
    return new dev.kiln.scheduler.core.Gang(
        c.job(),
        UNLIMITED.name(),
        c.priority(),
        c.submitted(),
        c.ranks(),
        c.perRank(),
        c.maxRuntime());
  }
}
