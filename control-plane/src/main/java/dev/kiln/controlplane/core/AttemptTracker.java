package dev.kiln.controlplane.core;

import dev.kiln.api.status.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Follows the ranks of the attempt in force: failures, lost ranks, start-up, completion. */
final class AttemptTracker {
  /** Longest detail (a rank's last log lines) carried into a condition message. */
  static final int MAX_DETAIL = 1024;

  private AttemptTracker() {}

  static void track(Plan plan, List<RankState> current) {
    Optional<RankState> preempted =
        first(current.stream().filter(r -> r.problem() == RankProblem.PREEMPTED).toList());
    if (preempted.isPresent()) {
      preempted(plan, current, describe(preempted.get()));
      return;
    }
    Optional<RankState> failed =
        first(current.stream().filter(r -> r.phase() == RankPhase.FAILED).toList());
    if (failed.isPresent()) {
      RankState r = failed.get();
      Reason reason = r.problem() == RankProblem.NONE ? Reason.RANK_FAILED : r.problem().reason();
      attemptFailed(plan, current, reason, describe(r));
      return;
    }
    int workers = plan.workers();
    Set<Integer> present =
        current.stream()
            .filter(r -> !r.deleting() || r.phase() == RankPhase.SUCCEEDED)
            .map(RankState::rank)
            .collect(Collectors.toSet());
    List<Integer> gone =
        IntStream.range(0, workers).filter(i -> !present.contains(i)).boxed().toList();
    if (plan.status.phase == Phase.RUNNING && !gone.isEmpty()) {
      attemptFailed(
          plan,
          current,
          Reason.RANK_LOST,
          "rank " + gone.get(0) + " was deleted while the gang was running");
      return;
    }
    recreateGone(plan, current, gone);
    long running =
        current.stream()
            .filter(r -> !r.deleting() && r.gotRunning())
            .map(RankState::rank)
            .distinct()
            .count();
    if (plan.status.phase != Phase.RUNNING && running == workers) {
      plan.status.phase = Phase.RUNNING;
      plan.event(
          Action.EventType.Normal,
          Reason.RUNNING,
          "attempt " + plan.attempt() + ": all " + workers + " rank(s) running");
    }
    long succeeded =
        current.stream()
            .filter(r -> r.phase() == RankPhase.SUCCEEDED)
            .map(RankState::rank)
            .distinct()
            .count();
    if (succeeded == workers) {
      TrainingJobCore.succeed(plan);
      return;
    }
    if (plan.status.phase == Phase.RUNNING) {
      plan.progress(
          Reason.RUNNING, "attempt " + plan.attempt() + ": " + workers + " rank(s) training");
      return;
    }
    startingUp(plan, current, (int) running);
  }

  /** Ranks deleted before the gang ran (a scheduler giving it back) come back in this attempt. */
  private static void recreateGone(Plan plan, List<RankState> current, List<Integer> gone) {
    Set<Integer> stillDeleting =
        current.stream()
            .filter(RankState::deleting)
            .map(RankState::rank)
            .collect(Collectors.toSet());
    List<Integer> recreate = gone.stream().filter(i -> !stillDeleting.contains(i)).toList();
    if (recreate.isEmpty()) {
      return;
    }
    TrainingJobCore.prepare(plan);
    plan.actions.add(new Action.StartRanks(plan.attempt(), recreate, plan.spec));
    plan.event(
        Action.EventType.Normal,
        Reason.RANKS_RECREATED,
        "attempt "
            + plan.attempt()
            + ": recreating rank(s) "
            + recreate
            + " deleted before the gang started");
  }

  /** Pending: reports what holds the gang up, and tears it down after the start-up timeout. */
  private static void startingUp(Plan plan, List<RankState> current, int running) {
    List<RankState> blocked =
        current.stream()
            .filter(r -> r.active() && !r.deleting())
            .filter(
                r ->
                    r.problem() == RankProblem.IMAGE_PULL
                        || r.problem() == RankProblem.CONFIG_ERROR
                        || r.scheduling() == RankState.Scheduling.UNSCHEDULABLE)
            .toList();
    Optional<RankState> culprit = first(blocked);
    Optional<Instant> since =
        current.stream()
            .map(RankState::createdAt)
            .filter(Objects::nonNull)
            .min(Comparator.naturalOrder());
    Duration timeout = plan.startupTimeout();
    if (since.isPresent() && !plan.now.isBefore(since.get().plus(timeout))) {
      Reason reason = culprit.map(AttemptTracker::blockReason).orElse(Reason.GANG_START_TIMEOUT);
      String message =
          running
              + "/"
              + plan.workers()
              + " rank(s) running after startupTimeoutSeconds="
              + timeout.toSeconds()
              + culprit.map(r -> "; " + describe(r)).orElse("");
      attemptFailed(plan, current, reason, message);
      return;
    }
    since.ifPresent(s -> plan.requeue(Duration.between(plan.now, s.plus(timeout))));
    plan.progress(
        culprit.map(AttemptTracker::blockReason).orElse(Reason.GANG_STARTING),
        startingMessage(plan, running, blocked));
  }

  static String startingMessage(Plan plan, int running, List<RankState> blocked) {
    String base =
        "attempt " + plan.attempt() + ": " + running + "/" + plan.workers() + " rank(s) running";
    return first(blocked).map(r -> base + "; " + describe(r)).orElse(base);
  }

  private static Reason blockReason(RankState r) {
    return r.scheduling() == RankState.Scheduling.UNSCHEDULABLE && r.problem() == RankProblem.NONE
        ? Reason.UNSCHEDULABLE
        : r.problem().reason();
  }

  /**
   * Attempt n failed: with restarts left, attempt n+1 starts after a back-off once every rank of
   * attempt n is gone; without, the job fails.
   */
  static void attemptFailed(Plan plan, List<RankState> current, Reason reason, String detail) {
    int attempt = plan.attempt();
    String what = "attempt " + attempt + " failed: " + detail;
    int restarts = plan.restarts();
    int max = plan.maxRestarts();
    if (restarts >= max) {
      TrainingJobCore.failTerminal(
          plan, reason, what + "; no restarts left (maxRestarts=" + max + ")");
      return;
    }
    plan.stop(current);
    plan.status.restarts = restarts + 1;
    Duration wait = plan.policy.backoff(restarts + 1);
    String message =
        what
            + "; restart "
            + (restarts + 1)
            + "/"
            + max
            + ": attempt "
            + (attempt + 1)
            + " starts "
            + wait.toSeconds()
            + "s after this, once attempt "
            + attempt
            + "'s ranks are gone";
    plan.condition(JobConditions.DEGRADED, true, reason, message);
    plan.event(Action.EventType.Warning, reason, message);
    TrainingJobCore.nextAttempt(plan, Phase.PENDING, Reason.RESTARTING, message);
    TrainingJobCore.startGang(plan);
  }

  /**
   * Preemption (a DisruptionTarget on a pod, or the admission's own eviction) requeues the job
   * without counting a restart; the next attempt resumes from the newest checkpoint.
   */
  static void preempted(Plan plan, List<RankState> current, String detail) {
    plan.stop(current);
    int attempt = plan.attempt();
    String message =
        "attempt "
            + attempt
            + " preempted ("
            + detail
            + "); requeued: attempt "
            + (attempt + 1)
            + " starts when admitted";
    plan.event(Action.EventType.Warning, Reason.PREEMPTED, message);
    TrainingJobCore.nextAttempt(plan, Phase.QUEUED, Reason.PREEMPTED, message);
    TrainingJobCore.startGang(plan);
  }

  /** One line about a rank's trouble, with its last log lines when it exited non-zero. */
  static String describe(RankState r) {
    String head =
        switch (r.problem()) {
          case OOM_KILLED -> "rank " + r.rank() + " was OOMKilled" + exit(r);
          case EXIT_NON_ZERO, NONE -> "rank " + r.rank() + " exited" + exit(r);
          case IMAGE_PULL -> "rank " + r.rank() + " cannot pull its image";
          case CONFIG_ERROR -> "rank " + r.rank() + " cannot start its container";
          case UNSCHEDULABLE -> "rank " + r.rank() + " is unschedulable";
          case EVICTED -> "rank " + r.rank() + " was evicted";
          case PREEMPTED -> "rank " + r.rank() + " was preempted";
          case LOST -> "rank " + r.rank() + " was lost";
        };
    if (r.problem() == RankProblem.NONE && r.scheduling() == RankState.Scheduling.UNSCHEDULABLE) {
      head = "rank " + r.rank() + " is unschedulable";
    }
    String detail = r.message() == null ? "" : r.message().strip();
    if (detail.length() > MAX_DETAIL) {
      detail = "..." + detail.substring(detail.length() - MAX_DETAIL);
    }
    return detail.isEmpty() ? head : head + ": " + detail;
  }

  private static String exit(RankState r) {
    return r.exitCode() == null ? "" : " (exit code " + r.exitCode() + ")";
  }

  private static Optional<RankState> first(List<RankState> ranks) {
    return ranks.stream().min(Comparator.comparingInt(RankState::rank));
  }
}
