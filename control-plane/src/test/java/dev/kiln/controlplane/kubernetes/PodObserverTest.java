package dev.kiln.controlplane.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.Kiln;
import dev.kiln.controlplane.core.RankPhase;
import dev.kiln.controlplane.core.RankProblem;
import dev.kiln.controlplane.core.RankState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import org.junit.jupiter.api.Test;

class PodObserverTest {

  private static PodBuilder pod() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("mnist-2-1")
        .withCreationTimestamp("2025-01-01T00:00:00Z")
        .addToLabels(Kiln.LABEL_ATTEMPT, "2")
        .addToLabels(Kiln.LABEL_RANK, "1")
        .endMetadata();
  }

  private static RankState observe(Pod pod) {
    return PodObserver.observe(pod).orElseThrow();
  }

  private static ContainerStatusBuilder trainer() {
    return new ContainerStatusBuilder().withName("trainer");
  }

  @Test
  void aNewPodIsAPendingRankWaitingForTheScheduler() {
    RankState r = observe(pod().build());
    assertThat(r.attempt()).isEqualTo(2);
    assertThat(r.rank()).isEqualTo(1);
    assertThat(r.phase()).isEqualTo(RankPhase.PENDING);
    assertThat(r.scheduling()).isEqualTo(RankState.Scheduling.WAITING);
    assertThat(r.problem()).isEqualTo(RankProblem.NONE);
    assertThat(r.createdAt()).hasToString("2025-01-01T00:00:00Z");
  }

  @Test
  void aRunningReadyPodIsARunningReadyScheduledRank() {
    Pod p =
        pod()
            .withStatus(
                new PodStatusBuilder()
                    .withPhase("Running")
                    .addToConditions(
                        new PodConditionBuilder()
                            .withType("PodScheduled")
                            .withStatus("True")
                            .build())
                    .addToConditions(
                        new PodConditionBuilder().withType("Ready").withStatus("True").build())
                    .addToContainerStatuses(
                        trainer().withNewState().withNewRunning().endRunning().endState().build())
                    .build())
            .build();
    RankState r = observe(p);
    assertThat(r.phase()).isEqualTo(RankPhase.RUNNING);
    assertThat(r.ready()).isTrue();
    assertThat(r.started()).isTrue();
    assertThat(r.scheduling()).isEqualTo(RankState.Scheduling.SCHEDULED);
  }

  @Test
  void anOomKilledContainerIsTypedWithItsExitCode() {
    RankState r = observe(failed(terminated(137, "OOMKilled", null)));
    assertThat(r.phase()).isEqualTo(RankPhase.FAILED);
    assertThat(r.problem()).isEqualTo(RankProblem.OOM_KILLED);
    assertThat(r.exitCode()).isEqualTo(137);
  }

  @Test
  void aNonZeroExitCarriesTheLastLogLinesOnly() {
    StringBuilder log = new StringBuilder();
    for (int i = 1; i <= 30; i++) {
      log.append("line ").append(i).append('\n');
    }
    RankState r = observe(failed(terminated(2, "Error", log.toString())));
    assertThat(r.problem()).isEqualTo(RankProblem.EXIT_NON_ZERO);
    assertThat(r.message()).startsWith("line 11\n").endsWith("line 30");
  }

  @Test
  void imagePullBackOffIsAnImagePullProblem() {
    Pod p =
        pod()
            .withStatus(
                new PodStatusBuilder()
                    .withPhase("Pending")
                    .addToContainerStatuses(
                        trainer()
                            .withNewState()
                            .withNewWaiting()
                            .withReason("ImagePullBackOff")
                            .withMessage("Back-off pulling image \"nope:1\"")
                            .endWaiting()
                            .endState()
                            .build())
                    .build())
            .build();
    RankState r = observe(p);
    assertThat(r.problem()).isEqualTo(RankProblem.IMAGE_PULL);
    assertThat(r.message()).contains("nope:1");
  }

  @Test
  void anUnschedulablePodSaysWhy() {
    Pod p =
        pod()
            .withStatus(
                new PodStatusBuilder()
                    .withPhase("Pending")
                    .addToConditions(
                        new PodConditionBuilder()
                            .withType("PodScheduled")
                            .withStatus("False")
                            .withReason("Unschedulable")
                            .withMessage("0/3 nodes are available: 3 Insufficient nvidia.com/gpu.")
                            .build())
                    .build())
            .build();
    RankState r = observe(p);
    assertThat(r.scheduling()).isEqualTo(RankState.Scheduling.UNSCHEDULABLE);
    assertThat(r.problem()).isEqualTo(RankProblem.UNSCHEDULABLE);
    assertThat(r.message()).contains("Insufficient nvidia.com/gpu");
  }

  @Test
  void aDisruptionTargetFromPreemptionIsPreempted() {
    Pod p =
        pod()
            .withStatus(
                new PodStatusBuilder()
                    .withPhase("Failed")
                    .addToConditions(
                        new PodConditionBuilder()
                            .withType("DisruptionTarget")
                            .withStatus("True")
                            .withReason("PreemptionByScheduler")
                            .withMessage("preempted by team-a/big-gang")
                            .build())
                    .build())
            .build();
    assertThat(observe(p).problem()).isEqualTo(RankProblem.PREEMPTED);
  }

  @Test
  void anEvictedPodIsEvicted() {
    Pod p =
        pod()
            .withStatus(
                new PodStatusBuilder()
                    .withPhase("Failed")
                    .withReason("Evicted")
                    .withMessage("The node was low on resource: memory.")
                    .build())
            .build();
    RankState r = observe(p);
    assertThat(r.problem()).isEqualTo(RankProblem.EVICTED);
    assertThat(r.message()).contains("low on resource");
  }

  @Test
  void aFailedStageInContainerExplainsARankThatNeverRan() {
    Pod p =
        pod()
            .withStatus(
                new PodStatusBuilder()
                    .withPhase("Failed")
                    .addToInitContainerStatuses(
                        new ContainerStatusBuilder()
                            .withName("stage-in")
                            .withNewState()
                            .withNewTerminated()
                            .withExitCode(1)
                            .withMessage("NoSuchBucket: datasets")
                            .endTerminated()
                            .endState()
                            .build())
                    .build())
            .build();
    RankState r = observe(p);
    assertThat(r.problem()).isEqualTo(RankProblem.EXIT_NON_ZERO);
    assertThat(r.message()).isEqualTo("stage-in: NoSuchBucket: datasets");
    assertThat(r.started()).isFalse();
  }

  @Test
  void aPodBeingDeletedIsDeleting() {
    Pod p =
        pod().editMetadata().withDeletionTimestamp("2025-01-01T00:01:00Z").endMetadata().build();
    assertThat(observe(p).deleting()).isTrue();
  }

  @Test
  void aPodWithoutRankLabelsIsNotARank() {
    Pod p = new PodBuilder().withNewMetadata().withName("other").endMetadata().build();
    assertThat(PodObserver.observe(p)).isEmpty();
  }

  private static Pod failed(ContainerStatus trainer) {
    return pod()
        .withStatus(
            new PodStatusBuilder().withPhase("Failed").addToContainerStatuses(trainer).build())
        .build();
  }

  private static ContainerStatus terminated(int exit, String reason, String message) {
    return trainer()
        .withNewState()
        .withNewTerminated()
        .withExitCode(exit)
        .withReason(reason)
        .withMessage(message)
        .endTerminated()
        .endState()
        .build();
  }
}
