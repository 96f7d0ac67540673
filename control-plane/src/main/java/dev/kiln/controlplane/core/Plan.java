package dev.kiln.controlplane.core;

import dev.kiln.api.Conditions;
import dev.kiln.api.Manifests;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.spec.TrainingJobSpec;
import dev.kiln.api.status.TrainingJobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The working state of one reconcile: a copy of the status, the actions so far, the requeue. */
final class Plan {
  final TrainingJob job;
  final Observed observed;
  final Instant now;
  final CorePolicy policy;
  final Long generation;
  final TrainingJobStatus status;
  final List<Action> actions = new ArrayList<>();

  /** The spec in force: the last accepted one, which may differ from a refused edit. */
  TrainingJobSpec spec;

  /** What the Progressing condition says while the job is active; null keeps what it says. */
  Reason progressReason;

  String progressMessage;

  /** Set when this reconcile accepted raised epochs: says from what to what. */
  String epochsRaised;

  private Duration requeue;
  private final Set<String> stopped = new HashSet<>();

  Plan(TrainingJob job, Observed observed, Instant now, CorePolicy policy) {
    this.job = job;
    this.observed = observed;
    this.now = now;
    this.policy = policy;
    this.generation = job.getMetadata().getGeneration();
    this.status =
        job.getStatus() == null ? new TrainingJobStatus() : Manifests.copy(job.getStatus());
    if (status.conditions == null) {
      status.conditions = new ArrayList<>();
    }
    this.spec =
        status.lastReconciledSpec != null
            ? Manifests.fromJson(status.lastReconciledSpec, TrainingJobSpec.class)
            : job.getSpec() != null ? job.getSpec() : new TrainingJobSpec();
  }

  /** Forgets everything but the metrics: for a job seen for the first time, or re-validated. */
  void resetStatus() {
    TrainingJobStatus fresh = new TrainingJobStatus();
    status.phase = fresh.phase;
    status.attempt = null;
    status.restarts = null;
    status.workers = null;
    status.ranks = null;
    status.startTime = null;
    status.completionTime = null;
    status.modelUri = null;
    status.lastReconciledSpec = null;
    status.queuePosition = null;
    status.conditions.clear();
    spec = job.getSpec() != null ? job.getSpec() : new TrainingJobSpec();
  }

  Duration startupTimeout() {
    Integer seconds = spec.startupTimeoutSeconds;
    return Duration.ofSeconds(seconds == null ? 300 : seconds);
  }

  int maxRestarts() {
    return spec.maxRestarts == null ? 0 : spec.maxRestarts;
  }

  int attempt() {
    return status.attempt == null ? 0 : status.attempt;
  }

  int restarts() {
    return status.restarts == null ? 0 : status.restarts;
  }

  int workers() {
    return spec.workersOrOne();
  }

  List<RankState> ranksOf(int attempt) {
    return observed.ranks().stream().filter(r -> r.attempt() == attempt).toList();
  }

  List<RankState> ranksNotOf(int attempt) {
    return observed.ranks().stream().filter(r -> r.attempt() != attempt).toList();
  }

  /** Stops those of {@code ranks} not already stopping. */
  void stop(Collection<RankState> ranks) {
    List<String> names =
        ranks.stream()
            .filter(r -> !r.deleting())
            .map(RankState::name)
            .filter(stopped::add)
            .toList();
    if (!names.isEmpty()) {
      actions.add(new Action.StopRanks(names));
    }
  }

  /** Stops every rank that is still pending or running, of any attempt. */
  void stopActive() {
    stop(observed.ranks().stream().filter(RankState::active).toList());
  }

  void event(Action.EventType type, Reason reason, String message) {
    actions.add(new Action.RecordEvent(type, reason, message));
  }

  void progress(Reason reason, String message) {
    this.progressReason = reason;
    this.progressMessage = message;
  }

  /** Asks to look again within {@code after}; the earliest request wins. */
  void requeue(Duration after) {
    Duration d = after.isNegative() ? Duration.ZERO : after;
    if (requeue == null || d.compareTo(requeue) < 0) {
      requeue = d;
    }
  }

  boolean condition(String type, boolean value, Reason reason, String message) {
    return Conditions.set(status.conditions, type, value, reason.text(), message, generation, now);
  }

  Optional<io.fabric8.kubernetes.api.model.Condition> condition(String type) {
    return Conditions.find(status.conditions, type);
  }

  String timestamp() {
    return Conditions.timestamp(now);
  }

  Decision decision() {
    return new Decision(status, actions, Optional.ofNullable(requeue));
  }
}
