package dev.kiln.controlplane.testing;

import dev.kiln.api.TrainingJob;
import dev.kiln.api.spec.TrainingJobSpec;
import dev.kiln.controlplane.core.Action;
import dev.kiln.controlplane.core.Admission;
import dev.kiln.controlplane.core.JobEffects;
import dev.kiln.controlplane.core.MetricsBook;
import dev.kiln.controlplane.core.Observed;
import dev.kiln.controlplane.core.RankPhase;
import dev.kiln.controlplane.core.RankProblem;
import dev.kiln.controlplane.core.RankState;
import dev.kiln.controlplane.core.Reason;
import dev.kiln.controlplane.core.Workloads;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * An in-memory world of ranks for the core's tests: what a shell would create, a kubelet would
 * change, and the API server would remove. Stopping is immediate unless {@link #graceful} is set,
 * in which case stopped ranks linger as "deleting" until {@link #finishDeletions()}.
 */
public final class FakeWorkloads implements Workloads, JobEffects {
  public final Map<String, RankState> ranks = new LinkedHashMap<>();
  public final List<String> events = new ArrayList<>();
  public final List<String> created = new ArrayList<>();
  public String preparedDigest;
  public String preparedSpec;
  public boolean deleted;
  public boolean graceful;
  public Admission.Verdict admission = Admission.Verdict.ADMITTED;
  public List<MetricsBook.EpochValues> logMetrics = List.of();
  private final Supplier<Instant> clock;

  public FakeWorkloads(Supplier<Instant> clock) {
    this.clock = clock;
  }

  @Override
  public Observed observe(TrainingJob job) {
    return new Observed(new ArrayList<>(ranks.values()), preparedDigest, admission, logMetrics);
  }

  @Override
  public void prepare(TrainingJob job, String specJson, String digest) {
    preparedSpec = specJson;
    preparedDigest = digest;
  }

  @Override
  public void start(
      TrainingJob job, TrainingJobSpec spec, int attempt, List<Integer> ranksToStart) {
    for (int rank : ranksToStart) {
      String name = job.getMetadata().getName() + "-" + attempt + "-" + rank;
      ranks.computeIfAbsent(
          name,
          n -> {
            created.add(n);
            return new RankState(
                n,
                attempt,
                rank,
                RankPhase.PENDING,
                false,
                false,
                RankState.Scheduling.WAITING,
                RankProblem.NONE,
                null,
                null,
                false,
                clock.get());
          });
    }
  }

  @Override
  public void stop(TrainingJob job, List<String> names) {
    for (String name : names) {
      if (graceful) {
        update(
            name, r -> copy(r, r.phase(), r.ready(), r.problem(), r.exitCode(), r.message(), true));
      } else {
        ranks.remove(name);
      }
    }
  }

  @Override
  public void record(TrainingJob job, Action.EventType type, Reason reason, String message) {
    events.add(type + " " + reason.text() + ": " + message);
  }

  @Override
  public void delete(TrainingJob job) {
    deleted = true;
    ranks.clear();
  }

  /** Ranks being deleted are now gone. */
  public void finishDeletions() {
    ranks.values().removeIf(RankState::deleting);
  }

  /** A kubelet: every rank of {@code attempt} scheduled, running and ready. */
  public void runAll(int attempt) {
    ranks.replaceAll(
        (n, r) ->
            r.attempt() == attempt && !r.deleting()
                ? new RankState(
                    n,
                    r.attempt(),
                    r.rank(),
                    RankPhase.RUNNING,
                    true,
                    true,
                    RankState.Scheduling.SCHEDULED,
                    RankProblem.NONE,
                    null,
                    null,
                    false,
                    r.createdAt())
                : r);
  }

  public void succeedAll(int attempt) {
    ranks.replaceAll(
        (n, r) ->
            r.attempt() == attempt
                ? copy(r, RankPhase.SUCCEEDED, false, RankProblem.NONE, 0, null, r.deleting())
                : r);
  }

  public void fail(String name, RankProblem problem, int exitCode, String message) {
    update(name, r -> copy(r, RankPhase.FAILED, false, problem, exitCode, message, r.deleting()));
  }

  /** A pending rank stuck: image pull, config error or unschedulable. */
  public void stuck(String name, RankProblem problem, String message) {
    update(
        name,
        r ->
            new RankState(
                r.name(),
                r.attempt(),
                r.rank(),
                RankPhase.PENDING,
                false,
                false,
                problem == RankProblem.UNSCHEDULABLE
                    ? RankState.Scheduling.UNSCHEDULABLE
                    : RankState.Scheduling.SCHEDULED,
                problem,
                null,
                message,
                r.deleting(),
                r.createdAt()));
  }

  public void update(String name, UnaryOperator<RankState> change) {
    RankState r = ranks.get(name);
    if (r == null) {
      throw new IllegalArgumentException("no rank " + name + " in " + ranks.keySet());
    }
    ranks.put(name, change.apply(r));
  }

  private static RankState copy(
      RankState r,
      RankPhase phase,
      boolean ready,
      RankProblem problem,
      Integer exit,
      String message,
      boolean deleting) {
    return new RankState(
        r.name(),
        r.attempt(),
        r.rank(),
        phase,
        ready,
        r.started() || phase != RankPhase.PENDING,
        r.scheduling(),
        problem,
        exit,
        message,
        deleting,
        r.createdAt());
  }
}
