package dev.kiln.controlplane.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.api.Kiln;
import dev.kiln.api.Queue;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.spec.QueueSpec;
import dev.kiln.api.spec.Resources;
import dev.kiln.api.status.Phase;
import dev.kiln.controlplane.core.JobConditions;
import dev.kiln.controlplane.testing.Jobs;
import dev.kiln.controlplane.testing.KilnCrds;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Admission in cluster mode against the test API server (CRUD mode, no kubelet, no garbage
 * collector): two nodes of 8 GPUs made by the test, queues with quotas, preemption.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = CrdsOnly.class)
class ClusterAdmissionIT {
  static final String NS = "adm";
  static final Duration WAIT = Duration.ofSeconds(20);

  @Inject KubernetesClient client;

  @BeforeEach
  void nodes() {
    for (String name : List.of("gpu-a", "gpu-b")) {
      if (client.nodes().withName(name).get() == null) {
        client.nodes().resource(KilnCrds.node(name, 64, "256Gi", 8)).create();
      }
    }
  }

  /** No garbage collector here: each test leaves no job, pod or queue for the next. */
  @AfterEach
  void cleanUp() {
    client.resources(TrainingJob.class).inNamespace(NS).delete();
    client.pods().inNamespace(NS).delete();
    client.resources(Queue.class).delete();
    await()
        .atMost(WAIT)
        .until(
            () -> client.resources(TrainingJob.class).inNamespace(NS).list().getItems().isEmpty());
  }

  private TrainingJob create(String name, int workers, int gpus, String queue, int priority) {
    TrainingJob job = Jobs.algorithm(name, workers);
    job.getMetadata().setNamespace(NS);
    job.getMetadata().setUid(null);
    job.getMetadata().setGeneration(null);
    job.getSpec().resources = new Resources("1", "1Gi", gpus);
    job.getSpec().queue = queue;
    job.getSpec().priority = priority;
    return client.resource(job).inNamespace(NS).create();
  }

  private TrainingJob get(String name) {
    return client.resources(TrainingJob.class).inNamespace(NS).withName(name).get();
  }

  private List<Pod> pods(String job) {
    return client.pods().inNamespace(NS).withLabel(Kiln.LABEL_JOB, job).list().getItems();
  }

  private Condition condition(String job, String type) {
    return get(job).getStatus().conditions.stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  private void queue(String name, int gpuQuota) {
    Queue q = new Queue();
    q.setMetadata(new ObjectMetaBuilder().withName(name).build());
    q.setSpec(new QueueSpec());
    q.getSpec().quota = new QueueSpec.Quota();
    q.getSpec().quota.gpu = gpuQuota;
    client.resource(q).create();
  }

  @Test
  void aJobOverItsQueuesQuotaIsQueuedWithNoPodsAndTheExactBlocker() {
    queue("team-q", 4);
    create("q1", 1, 4, "team-q", 0);
    await().atMost(WAIT).untilAsserted(() -> assertThat(pods("q1")).hasSize(1));

    create("q2", 1, 2, "team-q", 0);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              TrainingJob q2 = get("q2");
              assertThat(q2.getStatus().phase).isEqualTo(Phase.QUEUED);
              assertThat(q2.getStatus().queuePosition).isEqualTo(1);
              Condition c = condition("q2", JobConditions.GANG_SCHEDULED);
              assertThat(c.getReason()).isEqualTo("QuotaExhausted");
              assertThat(c.getMessage())
                  .isEqualTo(
                      "quota of queue team-q exhausted: 4/4 GPUs used, job needs 2;"
                          + " position 1 in queue team-q");
            });
    assertThat(pods("q2")).isEmpty();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Queue q = client.resources(Queue.class).withName("team-q").get();
              assertThat(q.getStatus().admitted).isEqualTo(1);
              assertThat(q.getStatus().pending).isEqualTo(1);
              assertThat(q.getStatus().used.gpu).isEqualTo(4);
            });
  }

  @Test
  void aHigherPriorityJobPreemptsALowerOneWhichIsRequeuedWithoutARestart() {
    create("low", 2, 8, "default", 0);
    await().atMost(WAIT).untilAsserted(() -> assertThat(pods("low")).hasSize(2));

    create("high", 1, 8, "default", 10);

    await().atMost(WAIT).untilAsserted(() -> assertThat(pods("high")).hasSize(1));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              TrainingJob low = get("low");
              assertThat(low.getStatus().phase).isEqualTo(Phase.QUEUED);
              assertThat(low.getStatus().attempt).isEqualTo(2);
              assertThat(low.getStatus().restarts).isZero();
              Condition c = condition("low", JobConditions.GANG_SCHEDULED);
              assertThat(c.getReason()).isEqualTo("NoFit");
              assertThat(c.getMessage()).startsWith("only 1 of 2 ranks");
            });
    assertThat(pods("low")).isEmpty();
    assertThat(
            client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "low".equals(e.getInvolvedObject().getName())))
        .anyMatch(
            e ->
                "Preempted".equals(e.getReason())
                    && e.getMessage().contains("preempted by adm/high (priority 10 > 0)"));
  }
}
