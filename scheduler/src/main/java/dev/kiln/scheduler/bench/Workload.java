package dev.kiln.scheduler.bench;

import dev.kiln.scheduler.core.Gang;
import dev.kiln.scheduler.core.JobId;
import dev.kiln.scheduler.core.Node;
import dev.kiln.scheduler.core.QueueSpec;
import dev.kiln.scheduler.core.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A simulated cluster and the stream of gangs submitted to it. */
public record Workload(List<Node> nodes, List<QueueSpec> queues, List<Job> jobs) {

  public Workload {
    nodes = List.copyOf(nodes);
    queues = List.copyOf(queues);
    jobs = List.copyOf(jobs);
  }

  /**
   * One submitted job.
   *
   * @param index its position in {@link #jobs()}
   * @param arrivalMillis simulated submission time
   * @param runtimeMillis how long it runs once all its ranks are bound, without interruptions
   */
  public record Job(
      int index,
      JobId id,
      String queue,
      int priority,
      long arrivalMillis,
      int ranks,
      Resources perRank,
      long runtimeMillis,
      Duration maxRuntime) {

    /** The gang the scheduler sees; the simulator starts time at the epoch. */
    public Gang gang() {
      return new Gang(
          id,
          queue,
          priority,
          Instant.ofEpochMilli(arrivalMillis),
          ranks,
          perRank,
          Optional.of(maxRuntime));
    }

    /** Pod name of a rank, unique within the namespace. */
    public String pod(int rank) {
      return id.name() + "-" + rank;
    }
  }

  public int totalGpus() {
    return nodes.stream().mapToInt(n -> n.allocatable().gpus()).sum();
  }

  /** What the independent checker is told about each gang. */
  public Map<String, BindLogChecker.GangInfo> gangInfo() {
    Map<String, BindLogChecker.GangInfo> out = new HashMap<>();
    for (Job j : jobs) {
      out.put(j.id().toString(), new BindLogChecker.GangInfo(j.ranks(), j.perRank().gpus()));
    }
    return out;
  }

  public Map<String, Integer> nodeGpus() {
    Map<String, Integer> out = new HashMap<>();
    nodes.forEach(n -> out.put(n.name(), n.allocatable().gpus()));
    return out;
  }
}
