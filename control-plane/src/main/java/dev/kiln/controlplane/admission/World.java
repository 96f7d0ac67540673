package dev.kiln.controlplane.admission;

import dev.kiln.api.Queue;
import dev.kiln.api.TrainingJob;
import dev.kiln.scheduler.core.Node;
import dev.kiln.scheduler.core.Resources;
import java.util.List;
import java.util.Map;

/**
 * What admission reads at the start of a cycle, from informer caches (cluster) or the local store
 * and rank table (local mode).
 *
 * @param nodes the schedulable nodes; in local mode the one machine
 * @param ranks per job uid, the ranks that exist now (any attempt)
 * @param externalUsage per node, what pods that are no Kiln job's ranks request
 */
public record World(
    List<Node> nodes,
    List<Queue> queues,
    List<TrainingJob> jobs,
    Map<String, List<LiveRank>> ranks,
    Map<String, Resources> externalUsage) {

  public World {
    nodes = List.copyOf(nodes);
    queues = List.copyOf(queues);
    jobs = List.copyOf(jobs);
    ranks = Map.copyOf(ranks);
    externalUsage = Map.copyOf(externalUsage);
  }

  /**
   * One rank that exists now.
   *
   * @param node where it runs; null while no scheduler has placed it
   * @param finished its process ended (it holds nothing any more)
   */
  public record LiveRank(int attempt, int rank, String node, boolean finished) {}
}
