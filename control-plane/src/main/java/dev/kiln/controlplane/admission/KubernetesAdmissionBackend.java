package dev.kiln.controlplane.admission;

import dev.kiln.api.Kiln;
import dev.kiln.api.Queue;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.status.QueueStatus;
import dev.kiln.scheduler.core.Resources;
import dev.kiln.scheduler.k8s.PodResources;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission's world in a cluster, from informers over nodes, pods, Queues and TrainingJobs (started
 * on first use). Evicts by marking each pod {@code DisruptionTarget=True} (reason {@code
 * PreemptionByScheduler}, as kube-scheduler does) and deleting it.
 */
public final class KubernetesAdmissionBackend implements AdmissionBackend, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesAdmissionBackend.class);
  static final String PREEMPTION_REASON = "PreemptionByScheduler";

  private final KubernetesClient client;
  private final String rackLabel;
  private final Clock clock;
  private SharedIndexInformer<Node> nodes;
  private SharedIndexInformer<Pod> pods;
  private SharedIndexInformer<Queue> queues;
  private SharedIndexInformer<TrainingJob> jobs;

  public KubernetesAdmissionBackend(KubernetesClient client, String rackLabel, Clock clock) {
    this.client = client;
    this.rackLabel = rackLabel;
    this.clock = clock;
  }

  private synchronized void start() {
    if (jobs != null) {
      return;
    }
    // inform() returns once each cache holds the initial list: no cycle sees a half-listed world.
    nodes = client.nodes().inform();
    pods = client.pods().inAnyNamespace().inform();
    queues = client.resources(Queue.class).inform();
    jobs = client.resources(TrainingJob.class).inAnyNamespace().inform();
    LOG.info("admission is watching nodes, pods, queues and training jobs");
  }

  @Override
  public World read() {
    start();
    List<TrainingJob> jobList = jobs.getStore().list();
    Set<String> uids =
        jobList.stream().map(j -> j.getMetadata().getUid()).collect(Collectors.toSet());
    Map<String, List<World.LiveRank>> ranks = new HashMap<>();
    Map<String, Resources> external = new HashMap<>();
    for (Pod p : pods.getStore().list()) {
      Map<String, String> labels = p.getMetadata().getLabels();
      String uid = labels == null ? null : labels.get(Kiln.LABEL_JOB_UID);
      String node = p.getSpec().getNodeName();
      node = node == null || node.isEmpty() ? null : node;
      boolean finished = finished(p);
      if (uid != null && uids.contains(uid)) {
        rank(labels, node, finished)
            .ifPresent(r -> ranks.computeIfAbsent(uid, u -> new ArrayList<>()).add(r));
      } else if (node != null && !finished) {
        external.merge(node, PodResources.requests(p), Resources::plus);
      }
    }
    List<dev.kiln.scheduler.core.Node> coreNodes =
        nodes.getStore().list().stream()
            .filter(PodResources::schedulable)
            .map(n -> PodResources.toCore(n, rackLabel))
            .sorted(java.util.Comparator.comparing(dev.kiln.scheduler.core.Node::name))
            .toList();
    return new World(coreNodes, queues.getStore().list(), jobList, ranks, external);
  }

  private static java.util.Optional<World.LiveRank> rank(
      Map<String, String> labels, String node, boolean finished) {
    try {
      return java.util.Optional.of(
          new World.LiveRank(
              Integer.parseInt(labels.get(Kiln.LABEL_ATTEMPT)),
              Integer.parseInt(labels.get(Kiln.LABEL_RANK)),
              node,
              finished));
    } catch (NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }

  private static boolean finished(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  @Override
  public void evict(TrainingJob job, int attempt, String message) {
    String ns = job.getMetadata().getNamespace();
    List<Pod> victims =
        client
            .pods()
            .inNamespace(ns)
            .withLabel(Kiln.LABEL_JOB_UID, job.getMetadata().getUid())
            .withLabel(Kiln.LABEL_ATTEMPT, Integer.toString(attempt))
            .list()
            .getItems();
    for (Pod pod : victims) {
      String name = pod.getMetadata().getName();
      try {
        client.pods().inNamespace(ns).withName(name).editStatus(p -> disrupted(p, message));
      } catch (KubernetesClientException e) {
        // The job's own record of the eviction requeues it; the condition is for kubectl.
        LOG.debug("marking {}/{} as preempted: {}", ns, name, e.getMessage());
      }
      client.pods().inNamespace(ns).withName(name).delete();
    }
  }

  private Pod disrupted(Pod p, String message) {
    PodStatus status = p.getStatus() == null ? new PodStatus() : p.getStatus();
    List<PodCondition> conditions = new ArrayList<>();
    if (status.getConditions() != null) {
      status.getConditions().stream()
          .filter(c -> !"DisruptionTarget".equals(c.getType()))
          .forEach(conditions::add);
    }
    conditions.add(
        new PodConditionBuilder()
            .withType("DisruptionTarget")
            .withStatus("True")
            .withReason(PREEMPTION_REASON)
            .withMessage("Kiln: " + message)
            .withLastTransitionTime(clock.instant().toString())
            .build());
    status.setConditions(conditions);
    p.setStatus(status);
    return p;
  }

  @Override
  public void writeQueueStatus(Queue queue, QueueStatus status) {
    client
        .resources(Queue.class)
        .withName(queue.getMetadata().getName())
        .editStatus(
            q -> {
              q.setStatus(status);
              return q;
            });
  }

  @Override
  public synchronized void close() {
    for (SharedIndexInformer<?> i : new SharedIndexInformer<?>[] {nodes, pods, queues, jobs}) {
      if (i != null) {
        i.close();
      }
    }
  }
}
