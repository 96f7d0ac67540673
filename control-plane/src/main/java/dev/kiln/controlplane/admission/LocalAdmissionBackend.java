package dev.kiln.controlplane.admission;

import dev.kiln.api.Queue;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.status.QueueStatus;
import dev.kiln.controlplane.local.LocalMode;
import dev.kiln.controlplane.local.LocalProcesses;
import dev.kiln.controlplane.local.LocalStore;
import dev.kiln.controlplane.local.RankRecord;
import dev.kiln.scheduler.core.Node;
import dev.kiln.scheduler.core.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Admission's world in local mode: this machine is the one node; jobs and Queues come from the
 * local store, ranks from the rank table. Evicting stops the attempt's rank processes.
 */
public final class LocalAdmissionBackend implements AdmissionBackend {
  /** The node name ranks run on in local mode. */
  public static final String NODE = "local";

  private final LocalMode.Running running;
  private final Node machine;

  public LocalAdmissionBackend(LocalMode.Running running, Resources machine) {
    this.running = running;
    this.machine = new Node(NODE, machine, "", "");
  }

  @Override
  public World read() {
    LocalStore store = running.store();
    Map<String, List<World.LiveRank>> ranks = new HashMap<>();
    for (RankRecord r : running.ranks().all()) {
      ranks.computeIfAbsent(r.jobUid(), u -> new ArrayList<>()).add(live(r));
    }
    return new World(
        List.of(machine),
        store.list(Queue.class, null),
        store.list(TrainingJob.class, null),
        ranks,
        Map.of());
  }

  /** Placed once its process started; done once that process ended (or could not start). */
  private World.LiveRank live(RankRecord r) {
    boolean started = r.process() != null;
    boolean finished =
        started
            ? !(running.processes().observe(r.process()) instanceof LocalProcesses.State.Running)
            : r.problem() != null;
    return new World.LiveRank(r.attempt(), r.rank(), NODE, finished);
  }

  @Override
  public void evict(TrainingJob job, int attempt, String message) {
    List<String> names =
        running.ranks().of(job.getMetadata().getUid()).stream()
            .filter(r -> r.attempt() == attempt)
            .map(RankRecord::name)
            .toList();
    // The job's own reconcile records the Preempted event when it requeues.
    running.workloads().stop(job, names);
  }

  @Override
  public void writeQueueStatus(Queue queue, QueueStatus status) {
    Queue current =
        running.store().get(Queue.class, null, queue.getMetadata().getName()).orElse(null);
    if (current != null) {
      current.setStatus(status);
      running.store().updateStatus(current);
    }
  }
}
