package dev.kiln.controlplane.admission;

import dev.kiln.api.Queue;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.spec.QueueSpec;
import dev.kiln.api.status.QueueStatus;
import dev.kiln.scheduler.core.Node;
import dev.kiln.scheduler.core.Resources;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An in-memory world for admission: nodes, queues, jobs, ranks; records evictions and writes. */
final class FakeBackend implements AdmissionBackend {
  final List<Node> nodes = new ArrayList<>();
  final Map<String, Queue> queues = new LinkedHashMap<>();
  final Map<String, TrainingJob> jobs = new LinkedHashMap<>();
  final Map<String, List<World.LiveRank>> ranks = new HashMap<>();
  final List<String> evictions = new ArrayList<>();
  final Map<String, QueueStatus> queueStatus = new HashMap<>();

  FakeBackend node(String name, int gpus) {
    nodes.add(new Node(name, Resources.of(64, 512, gpus), "zone-a", "rack-1"));
    return this;
  }

  FakeBackend queue(String name, int gpuQuota) {
    Queue q = new Queue();
    q.setMetadata(new ObjectMetaBuilder().withName(name).build());
    q.setSpec(new QueueSpec());
    q.getSpec().quota = new QueueSpec.Quota();
    q.getSpec().quota.gpu = gpuQuota;
    queues.put(name, q);
    return this;
  }

  /** Every rank of the job's attempt exists, placed on {@code node}. */
  void run(TrainingJob job, int attempt, String node) {
    List<World.LiveRank> live = new ArrayList<>();
    for (int i = 0; i < job.getSpec().workersOrOne(); i++) {
      live.add(new World.LiveRank(attempt, i, node, false));
    }
    ranks.put(job.getMetadata().getUid(), live);
  }

  @Override
  public World read() {
    return new World(
        nodes, List.copyOf(queues.values()), List.copyOf(jobs.values()), ranks, Map.of());
  }

  @Override
  public void evict(TrainingJob job, int attempt, String message) {
    evictions.add(job.getMetadata().getName() + "#" + attempt + ": " + message);
    ranks.remove(job.getMetadata().getUid());
  }

  @Override
  public void writeQueueStatus(Queue queue, QueueStatus status) {
    queueStatus.put(queue.getMetadata().getName(), status);
    queue.setStatus(status);
  }
}
