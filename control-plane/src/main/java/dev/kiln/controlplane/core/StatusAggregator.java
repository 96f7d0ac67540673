package dev.kiln.controlplane.core;

import dev.kiln.api.status.Phase;
import dev.kiln.api.status.TrainingJobStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Folds the ranks of the attempt in force into the status: ranks ready/total and the conditions
 * Ready, Progressing, GangScheduled (from each rank's scheduling) and a default Degraded. The
 * lifecycle steps set Degraded and choose what Progressing says; this writes the rest so every
 * phase reads the same way.
 */
final class StatusAggregator {
  private StatusAggregator() {}

  static void aggregate(Plan plan) {
    TrainingJobStatus status = plan.status;
    int workers = plan.workers();
    List<RankState> current =
        plan.ranksOf(plan.attempt()).stream().filter(r -> !r.deleting()).toList();
    int ready =
        (int) current.stream().filter(RankState::ready).map(RankState::rank).distinct().count();
    status.workers = new TrainingJobStatus.WorkerCounts(ready, workers);
    status.ranks = ready + "/" + workers;
    if (plan.condition(JobConditions.DEGRADED).isEmpty()) {
      plan.condition(JobConditions.DEGRADED, false, Reason.AS_EXPECTED, null);
    }
    Phase phase = status.phase;
    switch (phase) {
      case PENDING, QUEUED, RUNNING -> active(plan, current, ready, workers);
      case SUCCEEDED -> {
        String message = "attempt " + plan.attempt() + " succeeded";
        plan.condition(JobConditions.READY, false, Reason.SUCCEEDED, message);
        plan.condition(JobConditions.PROGRESSING, false, Reason.SUCCEEDED, message);
      }
      case FAILED -> {
        Condition degraded = plan.condition(JobConditions.DEGRADED).orElseThrow();
        Reason reason = reasonOf(degraded);
        plan.condition(JobConditions.READY, false, reason, degraded.getMessage());
        plan.condition(JobConditions.PROGRESSING, false, reason, degraded.getMessage());
      }
      case SUSPENDED -> {
        String message = "suspended at attempt " + plan.attempt();
        plan.condition(JobConditions.READY, false, Reason.SUSPENDED, message);
        plan.condition(JobConditions.PROGRESSING, false, Reason.SUSPENDED, message);
      }
      default -> throw new IllegalStateException("unknown phase " + phase);
    }
  }

  private static void active(Plan plan, List<RankState> current, int ready, int workers) {
    if (plan.progressReason != null) {
      plan.condition(JobConditions.PROGRESSING, true, plan.progressReason, plan.progressMessage);
    }
    if (plan.status.phase == Phase.RUNNING) {
      String message = ready + "/" + workers + " rank(s) ready";
      plan.condition(
          JobConditions.READY,
          ready == workers,
          ready == workers ? Reason.RANKS_READY : Reason.RANKS_NOT_READY,
          message);
    } else {
      Optional<Condition> progressing = plan.condition(JobConditions.PROGRESSING);
      plan.condition(
          JobConditions.READY,
          false,
          progressing.map(StatusAggregator::reasonOf).orElse(Reason.GANG_STARTING),
          progressing.map(Condition::getMessage).orElse(null));
    }
    gangScheduled(plan, current, workers);
  }

  /** GangScheduled: every rank of the attempt in force placed by the (gang) scheduler. */
  private static void gangScheduled(Plan plan, List<RankState> current, int workers) {
    Optional<Condition> progressing = plan.condition(JobConditions.PROGRESSING);
    if (current.isEmpty() && plan.status.phase == Phase.QUEUED && progressing.isPresent()) {
      // Queued: no pods exist; the admission's exact blocker is why the gang is not scheduled.
      plan.condition(
          JobConditions.GANG_SCHEDULED,
          false,
          reasonOf(progressing.get()),
          progressing.get().getMessage());
      return;
    }
    if (current.isEmpty()) {
      plan.condition(
          JobConditions.GANG_SCHEDULED,
          false,
          Reason.NOT_CREATED,
          "attempt " + plan.attempt() + " has no ranks yet");
      return;
    }
    long scheduled =
        current.stream()
            .filter(r -> r.scheduling() == RankState.Scheduling.SCHEDULED)
            .map(RankState::rank)
            .distinct()
            .count();
    if (scheduled == workers) {
      plan.condition(
          JobConditions.GANG_SCHEDULED,
          true,
          Reason.ALL_RANKS_SCHEDULED,
          workers + "/" + workers + " rank(s) scheduled");
      return;
    }
    Optional<RankState> unschedulable =
        current.stream()
            .filter(r -> r.scheduling() == RankState.Scheduling.UNSCHEDULABLE)
            .min(Comparator.comparingInt(RankState::rank));
    if (unschedulable.isPresent()) {
      plan.condition(
          JobConditions.GANG_SCHEDULED,
          false,
          Reason.UNSCHEDULABLE,
          AttemptTracker.describe(unschedulable.get()));
      return;
    }
    plan.condition(
        JobConditions.GANG_SCHEDULED,
        false,
        Reason.WAITING_FOR_SCHEDULER,
        scheduled + "/" + workers + " rank(s) scheduled");
  }

  private static Reason reasonOf(Condition condition) {
    return Reason.ofText(condition.getReason()).orElse(Reason.GANG_STARTING);
  }
}
