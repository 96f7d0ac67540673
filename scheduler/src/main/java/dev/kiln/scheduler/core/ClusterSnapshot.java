package dev.kiln.scheduler.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the scheduler knows at the start of a cycle.
 *
 * @param queues every defined queue; a gang naming another queue waits with {@code UnknownQueue}
 * @param running gangs holding resources now (bound or reserved); candidates for preemption
 * @param externalUsage per node name, what pods the scheduler does not manage already use
 */
public record ClusterSnapshot(
    Topology topology,
    List<QueueSpec> queues,
    List<RunningGang> running,
    Map<String, Resources> externalUsage) {

  public ClusterSnapshot {
    Objects.requireNonNull(topology, "topology");
    queues = List.copyOf(queues);
    running = List.copyOf(running);
    externalUsage = Map.copyOf(externalUsage);
  }

  public static ClusterSnapshot of(
      List<Node> nodes, List<QueueSpec> queues, List<RunningGang> running) {
    return new ClusterSnapshot(Topology.of(nodes), queues, running, Map.of());
  }
}
