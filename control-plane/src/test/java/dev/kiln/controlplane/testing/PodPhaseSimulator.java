package dev.kiln.controlplane.testing;

import dev.kiln.api.Kiln;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Plays kubelet and scheduler for the test API server: writes pod status (phase, conditions,
 * container states) the way they would. Its limits are the test server's: no scheduling, no garbage
 * collection, no graceful deletion (a deleted pod is gone at once).
 */
public final class PodPhaseSimulator {
  private final KubernetesClient client;
  private final String namespace;

  public PodPhaseSimulator(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** Pods of one attempt of a job. */
  public List<Pod> pods(String job, int attempt) {
    return client
        .pods()
        .inNamespace(namespace)
        .withLabel(Kiln.LABEL_JOB, job)
        .withLabel(Kiln.LABEL_ATTEMPT, Integer.toString(attempt))
        .list()
        .getItems();
  }

  /** Every pod of the attempt scheduled, started and ready. */
  public void runAll(String job, int attempt) {
    pods(job, attempt).forEach(p -> run(p.getMetadata().getName()));
  }

  public void succeedAll(String job, int attempt) {
    pods(job, attempt).forEach(p -> succeed(p.getMetadata().getName()));
  }

  public void run(String pod) {
    write(
        pod,
        new PodStatusBuilder()
            .withPhase("Running")
            .withStartTime(now())
            .withConditions(
                condition("PodScheduled", "True", null, null),
                condition("Ready", "True", null, null))
            .withContainerStatuses(
                trainer()
                    .withReady(true)
                    .withStarted(true)
                    .withNewState()
                    .withNewRunning()
                    .withStartedAt(now())
                    .endRunning()
                    .endState()
                    .build())
            .build());
  }

  public void succeed(String pod) {
    terminate(pod, "Succeeded", 0, "Completed", null);
  }

  /** A rank that exits non-zero; with FallbackToLogsOnError its message is its last log lines. */
  public void fail(String pod, int exitCode, String reason, String lastLogLines) {
    terminate(pod, "Failed", exitCode, reason, lastLogLines);
  }

  /** The scheduler cannot place the pod. */
  public void unschedulable(String pod, String message) {
    write(
        pod,
        new PodStatusBuilder()
            .withPhase("Pending")
            .withConditions(condition("PodScheduled", "False", "Unschedulable", message))
            .build());
  }

  private void terminate(String pod, String phase, int exitCode, String reason, String message) {
    write(
        pod,
        new PodStatusBuilder()
            .withPhase(phase)
            .withStartTime(now())
            .withConditions(
                condition("PodScheduled", "True", null, null),
                condition("Ready", "False", "PodCompleted", null))
            .withContainerStatuses(
                trainer()
                    .withReady(false)
                    .withStarted(false)
                    .withNewState()
                    .withNewTerminated()
                    .withExitCode(exitCode)
                    .withReason(reason)
                    .withMessage(message)
                    .withFinishedAt(now())
                    .endTerminated()
                    .endState()
                    .build())
            .build());
  }

  private void write(String pod, PodStatus status) {
    client
        .pods()
        .inNamespace(namespace)
        .withName(pod)
        .editStatus(
            p -> {
              p.setStatus(status);
              return p;
            });
  }

  private static ContainerStatusBuilder trainer() {
    return new ContainerStatusBuilder()
        .withName("trainer")
        .withImage("x")
        .withImageID("x")
        .withRestartCount(0);
  }

  private static PodCondition condition(String type, String status, String reason, String message) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(now())
        .build();
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
