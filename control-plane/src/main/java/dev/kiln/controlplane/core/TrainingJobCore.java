package dev.kiln.controlplane.core;

import dev.kiln.api.Hyperparameters;
import dev.kiln.api.Manifests;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.spec.MetricRule;
import dev.kiln.api.status.Phase;
import dev.kiln.api.validation.SpecValidator;
import dev.kiln.api.validation.Violation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The TrainingJob reconcile core: {@code (job, observed ranks, now) -> actions + new status +
 * requeue}. Pure: it never calls a client, so both shells (Kubernetes and local) share it.
 *
 * <p>{@code status.attempt} is the attempt in force, whose ranks may not exist yet: a failure,
 * preemption, resume or epochs raise moves it to n+1 at once, and attempt n+1's ranks start only
 * when every rank of earlier attempts is gone, after the restart back-off, once admitted.
 */
public final class TrainingJobCore {
  private final CorePolicy policy;

  public TrainingJobCore(CorePolicy policy) {
    this.policy = policy;
  }

  public Decision reconcile(TrainingJob job, Observed observed, Instant now) {
    Plan plan = new Plan(job, observed, now, policy);
    if (needsInitialization(plan)) {
      initialize(plan);
    } else if (plan.status.lastReconciledSpec != null) {
      SpecChanges.apply(plan);
    }
    switch (plan.status.phase) {
      case SUCCEEDED, FAILED -> finished(plan);
      case SUSPENDED -> suspended(plan);
      default -> active(plan);
    }
    logMetrics(plan);
    StatusAggregator.aggregate(plan);
    plan.status.observedGeneration = plan.generation;
    return plan.decision();
  }

  /** Containers that don't call ReportMetrics: their regexes over rank 0's log, kept in status. */
  private static void logMetrics(Plan plan) {
    List<MetricRule> rules = plan.spec.metrics;
    if (plan.spec.container == null || rules == null || rules.isEmpty()) {
      return;
    }
    MetricsBook.recordAll(plan.status, rules, plan.attempt(), plan.observed.logMetrics());
    if (plan.status.phase == Phase.RUNNING) {
      plan.requeue(plan.policy.logMetrics());
    }
  }

  /** A new job, or one that failed validation and has been edited since. */
  private static boolean needsInitialization(Plan plan) {
    if (plan.status.phase == null) {
      return true;
    }
    boolean invalid =
        plan.status.phase == Phase.FAILED
            && plan.condition(JobConditions.DEGRADED)
                .map(c -> Reason.INVALID_SPEC.text().equals(c.getReason()))
                .orElse(false);
    return invalid && !Objects.equals(plan.status.observedGeneration, plan.generation);
  }

  private static void initialize(Plan plan) {
    plan.resetStatus();
    plan.status.restarts = 0;
    plan.status.attempt = 0;
    String problem = specProblem(plan.job);
    if (problem != null) {
      plan.status.phase = Phase.PENDING;
      failTerminal(plan, Reason.INVALID_SPEC, "invalid spec: " + problem);
      return;
    }
    plan.spec = Manifests.copy(plan.job.getSpec());
    plan.status.lastReconciledSpec = Manifests.toJson(plan.spec);
    plan.status.attempt = 1;
    plan.status.phase = Phase.PENDING;
    plan.condition(JobConditions.DEGRADED, false, Reason.AS_EXPECTED, null);
    plan.condition(JobConditions.SPEC_APPLIED, true, Reason.SPEC_APPLIED, null);
    String what =
        plan.spec.container != null
            ? "container " + plan.spec.container.image
            : "the built-in trainer";
    plan.event(
        Action.EventType.Normal,
        Reason.ACCEPTED,
        "accepted: " + plan.workers() + " rank(s) running " + what);
  }

  private static String specProblem(TrainingJob job) {
    List<Violation> violations = SpecValidator.validate(job);
    if (!violations.isEmpty()) {
      return SpecValidator.describe(violations);
    }
    try {
      Hyperparameters.merge(job.getSpec());
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static void finished(Plan plan) {
    plan.stopActive();
    if (plan.status.phase == Phase.SUCCEEDED && plan.epochsRaised != null) {
      int next = plan.attempt() + 1;
      String message =
          plan.epochsRaised + "; attempt " + next + " resumes from the newest checkpoint";
      nextAttempt(plan, Phase.PENDING, Reason.EPOCHS_RAISED, message);
      plan.status.completionTime = null;
      plan.event(Action.EventType.Normal, Reason.EPOCHS_RAISED, message);
      active(plan);
      return;
    }
    ttl(plan);
  }

  private static void suspended(Plan plan) {
    plan.stopActive();
    if (plan.spec.suspended()) {
      return;
    }
    int next = plan.attempt() + 1;
    String message =
        (plan.epochsRaised == null ? "resumed" : "resumed with " + plan.epochsRaised)
            + "; attempt "
            + next
            + " resumes from the newest checkpoint";
    nextAttempt(plan, Phase.PENDING, Reason.RESUMED, message);
    plan.event(Action.EventType.Normal, Reason.RESUMED, message);
    active(plan);
  }

  /** Pending, Queued or Running. */
  static void active(Plan plan) {
    if (plan.spec.suspended()) {
      plan.stopActive();
      plan.status.phase = Phase.SUSPENDED;
      plan.status.queuePosition = null;
      plan.event(
          Action.EventType.Normal,
          Reason.SUSPENDED,
          "suspended at attempt " + plan.attempt() + "; set spec.suspend to false to resume");
      return;
    }
    if (deadlinePassed(plan)) {
      return;
    }
    int attempt = plan.attempt();
    plan.stop(plan.ranksNotOf(attempt));
    List<RankState> current = plan.ranksOf(attempt);
    // Before anything else: a preempted gang's pods may already be gone.
    Admission.Verdict verdict = plan.observed.admission();
    if (verdict.preempts(attempt)) {
      AttemptTracker.preempted(plan, current, verdict.message());
      return;
    }
    if (current.isEmpty()) {
      startGang(plan);
    } else {
      AttemptTracker.track(plan, current);
    }
  }

  /**
   * Starts every rank of the attempt in force once earlier attempts are gone, the back-off has
   * passed and admission agrees; until then keeps the Progressing condition as it is.
   */
  static void startGang(Plan plan) {
    int attempt = plan.attempt();
    if (!plan.ranksNotOf(attempt).isEmpty()) {
      plan.requeue(plan.policy.poll());
      return;
    }
    Optional<Instant> backoffUntil = backoffUntil(plan);
    if (backoffUntil.isPresent() && plan.now.isBefore(backoffUntil.get())) {
      plan.requeue(Duration.between(plan.now, backoffUntil.get()));
      return;
    }
    Admission.Verdict verdict = plan.observed.admission();
    if (!verdict.admitted()) {
      if (plan.status.phase != Phase.QUEUED) {
        plan.event(Action.EventType.Normal, Reason.QUEUED, verdict.message());
      }
      plan.status.phase = Phase.QUEUED;
      plan.status.queuePosition = verdict.position();
      plan.progress(verdict.reason() == null ? Reason.QUEUED : verdict.reason(), verdict.message());
      // Capacity freed elsewhere raises no event on this job: look again.
      plan.requeue(plan.policy.poll());
      return;
    }
    plan.status.queuePosition = null;
    prepare(plan);
    int workers = plan.workers();
    plan.actions.add(
        new Action.StartRanks(attempt, IntStream.range(0, workers).boxed().toList(), plan.spec));
    plan.status.phase = Phase.PENDING;
    if (plan.status.startTime == null) {
      plan.status.startTime = plan.timestamp();
    }
    plan.condition(JobConditions.DEGRADED)
        .filter(c -> "True".equals(c.getStatus()))
        .ifPresent(
            c ->
                plan.condition(
                    JobConditions.DEGRADED,
                    false,
                    Reason.RESTARTED,
                    "attempt " + attempt + " started after: " + c.getMessage()));
    plan.event(
        Action.EventType.Normal,
        Reason.ATTEMPT_STARTED,
        "attempt " + attempt + ": starting " + workers + " rank(s)");
    plan.progress(Reason.GANG_STARTING, AttemptTracker.startingMessage(plan, 0, List.of()));
    plan.requeue(plan.startupTimeout());
  }

  /** Asks the shell to write the merged spec (and the rest of what ranks share) if needed. */
  static void prepare(Plan plan) {
    String json = Manifests.toJson(Hyperparameters.merge(plan.spec));
    String digest = digest(json);
    if (!digest.equals(plan.observed.preparedDigest())) {
      plan.actions.add(new Action.Prepare(json, digest));
    }
  }

  /** The end of the restart back-off, while one applies. */
  private static Optional<Instant> backoffUntil(Plan plan) {
    if (plan.restarts() == 0) {
      return Optional.empty();
    }
    return plan.condition(JobConditions.DEGRADED)
        .filter(c -> "True".equals(c.getStatus()) && c.getLastTransitionTime() != null)
        .map(
            c ->
                Instant.parse(c.getLastTransitionTime())
                    .plus(plan.policy.backoff(plan.restarts())));
  }

  private static boolean deadlinePassed(Plan plan) {
    Long seconds = plan.spec.activeDeadlineSeconds;
    if (seconds == null || plan.status.startTime == null) {
      return false;
    }
    Instant deadline = Instant.parse(plan.status.startTime).plusSeconds(seconds);
    if (plan.now.isBefore(deadline)) {
      plan.requeue(Duration.between(plan.now, deadline));
      return false;
    }
    failTerminal(
        plan,
        Reason.DEADLINE_EXCEEDED,
        "ran longer than activeDeadlineSeconds="
            + seconds
            + " (started "
            + plan.status.startTime
            + ")");
    return true;
  }

  /** Moves to attempt n+1 (whose ranks start later, in {@link #startGang}). */
  static void nextAttempt(Plan plan, Phase phase, Reason why, String message) {
    plan.status.attempt = plan.attempt() + 1;
    plan.status.phase = phase;
    plan.progress(why, message);
  }

  /** Failed for good: stops what still runs, keeps finished ranks for their logs. */
  static void failTerminal(Plan plan, Reason reason, String message) {
    plan.stopActive();
    plan.status.phase = Phase.FAILED;
    plan.status.completionTime = plan.timestamp();
    plan.status.queuePosition = null;
    plan.condition(JobConditions.DEGRADED, true, reason, message);
    plan.event(Action.EventType.Warning, reason, message);
    ttl(plan);
  }

  static void succeed(Plan plan) {
    plan.status.phase = Phase.SUCCEEDED;
    plan.status.completionTime = plan.timestamp();
    String output = plan.spec.output.uri;
    plan.status.modelUri = (output.endsWith("/") ? output : output + "/") + "model/";
    plan.event(
        Action.EventType.Normal,
        Reason.SUCCEEDED,
        "attempt "
            + plan.attempt()
            + ": all "
            + plan.workers()
            + " rank(s) succeeded; model at "
            + plan.status.modelUri);
    ttl(plan);
  }

  /** Deletes a finished job once {@code ttlSecondsAfterFinished} has passed. */
  private static void ttl(Plan plan) {
    Long ttl = plan.spec.ttlSecondsAfterFinished;
    if (ttl == null || plan.status.completionTime == null) {
      return;
    }
    Instant expiry = Instant.parse(plan.status.completionTime).plusSeconds(ttl);
    if (plan.now.isBefore(expiry)) {
      plan.requeue(Duration.between(plan.now, expiry));
      return;
    }
    plan.event(
        Action.EventType.Normal,
        Reason.TTL_EXPIRED,
        "deleting: finished " + plan.status.completionTime + ", ttlSecondsAfterFinished=" + ttl);
    plan.actions.add(new Action.DeleteJob());
  }

  static String digest(String text) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
