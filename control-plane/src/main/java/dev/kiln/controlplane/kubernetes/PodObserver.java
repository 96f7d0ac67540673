package dev.kiln.controlplane.kubernetes;

import dev.kiln.api.Kiln;
import dev.kiln.controlplane.core.RankPhase;
import dev.kiln.controlplane.core.RankProblem;
import dev.kiln.controlplane.core.RankState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns a rank's Pod into the core's {@link RankState}: the kubelet's and scheduler's typed reasons
 * (ImagePullBackOff, OOMKilled, Unschedulable, preemption) become {@link RankProblem}s. Pure.
 */
public final class PodObserver {
  static final Set<String> IMAGE_PULL =
      Set.of(
          "ErrImagePull",
          "ImagePullBackOff",
          "InvalidImageName",
          "ErrImageNeverPull",
          "RegistryUnavailable");
  static final Set<String> CONFIG_ERROR =
      Set.of("CreateContainerConfigError", "CreateContainerError", "RunContainerError");

  /** DisruptionTarget reasons that mean a scheduler preempted the pod. */
  static final Set<String> PREEMPTION =
      Set.of("PreemptionByScheduler", "PreemptionByKubeScheduler");

  /** At most this many of a rank's last log lines go into its failure message. */
  static final int LOG_LINES = 20;

  private PodObserver() {}

  /** The rank a Kiln pod runs; empty for a pod without Kiln's rank labels. */
  public static Optional<RankState> observe(Pod pod) {
    var labels = pod.getMetadata().getLabels();
    if (labels == null
        || !labels.containsKey(Kiln.LABEL_ATTEMPT)
        || !labels.containsKey(Kiln.LABEL_RANK)) {
      return Optional.empty();
    }
    int attempt;
    int rank;
    try {
      attempt = Integer.parseInt(labels.get(Kiln.LABEL_ATTEMPT));
      rank = Integer.parseInt(labels.get(Kiln.LABEL_RANK));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    PodStatus status = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
    Optional<ContainerStatus> trainer =
        containers(status.getContainerStatuses())
            .filter(c -> RankPodBuilder.TRAINER.equals(c.getName()))
            .findFirst();
    boolean started =
        trainer
            .map(
                c ->
                    c.getState() != null
                        && (c.getState().getRunning() != null
                            || c.getState().getTerminated() != null))
            .orElse(false);
    RankPhase phase = phase(status.getPhase(), started);
    Problem problem = problem(status, trainer);
    return Optional.of(
        new RankState(
            pod.getMetadata().getName(),
            attempt,
            rank,
            phase,
            conditionTrue(status, "Ready"),
            started,
            scheduling(status),
            problem.kind(),
            problem.exitCode(),
            problem.message(),
            pod.getMetadata().getDeletionTimestamp() != null,
            instant(pod.getMetadata().getCreationTimestamp())));
  }

  private record Problem(RankProblem kind, Integer exitCode, String message) {}

  private static Problem problem(PodStatus status, Optional<ContainerStatus> trainer) {
    Optional<PodCondition> disruption = condition(status, "DisruptionTarget");
    if (disruption.isPresent()
        && "True".equals(disruption.get().getStatus())
        && PREEMPTION.contains(disruption.get().getReason())) {
      return new Problem(RankProblem.PREEMPTED, null, disruption.get().getMessage());
    }
    if ("Evicted".equals(status.getReason())) {
      return new Problem(RankProblem.EVICTED, null, status.getMessage());
    }
    // An init container (stage-in) that failed explains a pod that never ran its trainer.
    Stream<ContainerStatus> all =
        Stream.concat(trainer.stream(), containers(status.getInitContainerStatuses()));
    for (ContainerStatus c : all.toList()) {
      ContainerStateTerminated t = c.getState() == null ? null : c.getState().getTerminated();
      if (t != null && t.getExitCode() != null && t.getExitCode() != 0) {
        RankProblem kind =
            "OOMKilled".equals(t.getReason()) ? RankProblem.OOM_KILLED : RankProblem.EXIT_NON_ZERO;
        String where = RankPodBuilder.TRAINER.equals(c.getName()) ? "" : c.getName() + ": ";
        return new Problem(kind, t.getExitCode(), where + lastLines(t.getMessage()));
      }
      ContainerStateWaiting w = c.getState() == null ? null : c.getState().getWaiting();
      if (w != null && IMAGE_PULL.contains(w.getReason())) {
        return new Problem(RankProblem.IMAGE_PULL, null, w.getReason() + ": " + w.getMessage());
      }
      if (w != null && CONFIG_ERROR.contains(w.getReason())) {
        return new Problem(RankProblem.CONFIG_ERROR, null, w.getReason() + ": " + w.getMessage());
      }
    }
    Optional<PodCondition> scheduled = condition(status, "PodScheduled");
    if (scheduled.isPresent() && "Unschedulable".equals(scheduled.get().getReason())) {
      return new Problem(RankProblem.UNSCHEDULABLE, null, scheduled.get().getMessage());
    }
    if ("Failed".equals(status.getPhase())) {
      return new Problem(RankProblem.NONE, null, status.getMessage());
    }
    return new Problem(RankProblem.NONE, null, null);
  }

  private static RankPhase phase(String phase, boolean started) {
    if (phase == null) {
      return RankPhase.PENDING;
    }
    return switch (phase) {
      case "Running" -> RankPhase.RUNNING;
      case "Succeeded" -> RankPhase.SUCCEEDED;
      case "Failed" -> RankPhase.FAILED;
        // Unknown: the node stopped reporting; the rank may well still run.
      case "Unknown" -> started ? RankPhase.RUNNING : RankPhase.PENDING;
      default -> RankPhase.PENDING;
    };
  }

  private static RankState.Scheduling scheduling(PodStatus status) {
    Optional<PodCondition> scheduled = condition(status, "PodScheduled");
    if (scheduled.isEmpty()) {
      return RankState.Scheduling.WAITING;
    }
    if ("True".equals(scheduled.get().getStatus())) {
      return RankState.Scheduling.SCHEDULED;
    }
    return "Unschedulable".equals(scheduled.get().getReason())
        ? RankState.Scheduling.UNSCHEDULABLE
        : RankState.Scheduling.WAITING;
  }

  private static boolean conditionTrue(PodStatus status, String type) {
    return condition(status, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  private static Optional<PodCondition> condition(PodStatus status, String type) {
    if (status.getConditions() == null) {
      return Optional.empty();
    }
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private static Stream<ContainerStatus> containers(List<ContainerStatus> statuses) {
    return statuses == null ? Stream.empty() : statuses.stream();
  }

  static String lastLines(String text) {
    if (text == null || text.isBlank()) {
      return "";
    }
    List<String> lines = text.strip().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()));
  }

  private static Instant instant(String timestamp) {
    try {
      return timestamp == null ? null : Instant.parse(timestamp);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
