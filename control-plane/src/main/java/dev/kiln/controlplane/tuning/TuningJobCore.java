package dev.kiln.controlplane.tuning;

import dev.kiln.api.Conditions;
import dev.kiln.api.Manifests;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.TuningJob;
import dev.kiln.api.status.Phase;
import dev.kiln.api.status.TuningJobStatus;
import dev.kiln.tuner.Suggestion;
import dev.kiln.tuner.Trial;
import dev.kiln.tuner.TrialState;
import dev.kiln.tuner.stopping.Decision;
import dev.kiln.tuner.stopping.Promotion;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The TuningJob reconcile core: {@code (sweep, its trial TrainingJobs, now) -> actions + new status
 * + requeue}. Pure, and stateless: everything it knows is rebuilt from the trials on every call, so
 * a restarted control plane continues a sweep without losing or duplicating trials (trial k is
 * always named {@code <sweep>-<k>}, with k past every index handed out before).
 */
public final class TuningJobCore {
  /** How often a running sweep is looked at even if nothing is reported. */
  public static final Duration POLL = Duration.ofSeconds(5);

  public SweepDecision reconcile(TuningJob sweep, List<TrainingJob> observed, Instant now) {
    TuningJobStatus status =
        sweep.getStatus() == null ? new TuningJobStatus() : Manifests.copy(sweep.getStatus());
    if (status.conditions == null) {
      status.conditions = new ArrayList<>();
    }
    List<SweepAction> actions = new ArrayList<>();
    Long generation = sweep.getMetadata().getGeneration();
    SweepSetup setup;
    try {
      setup = SweepSetup.of(sweep);
    } catch (IllegalArgumentException e) {
      if (status.phase != Phase.FAILED) {
        actions.add(new SweepAction.Event(true, SweepReason.INVALID_SPEC, e.getMessage()));
      }
      end(status, Phase.FAILED, SweepReason.INVALID_SPEC, "invalid spec: " + e.getMessage(), now);
      status.observedGeneration = generation;
      return new SweepDecision(actions, status, Optional.empty());
    }
    SweepTrials trials = SweepTrials.read(sweep, observed, setup);
    if (status.phase != null && status.phase.isTerminal()) {
      closeOut(trials, actions, "the sweep has ended");
      return new SweepDecision(actions, status, Optional.empty());
    }
    if (status.startTime == null) {
      status.startTime = Conditions.timestamp(now);
    }
    status.observedGeneration = generation;
    recordVerdicts(trials, actions);
    String stop = stopRequest(sweep);
    if (trials.failed() >= setup.maxFailedTrials()) {
      String why =
          trials.failed()
              + " trial(s) failed, reaching maxFailedTrials ("
              + setup.maxFailedTrials()
              + ")";
      finish(status, trials, setup, Phase.FAILED, SweepReason.MAX_FAILED_TRIALS_REACHED, why, now);
      closeOut(trials, actions, "the sweep failed: " + why);
      actions.add(new SweepAction.Event(true, SweepReason.MAX_FAILED_TRIALS_REACHED, why));
      return new SweepDecision(actions, status, Optional.empty());
    }
    if (stop != null) {
      return stopping(status, trials, setup, actions, stop, now);
    }
    earlyStops(trials, setup, actions);
    int free = setup.parallelTrials() - trials.active();
    free -= promote(trials, setup, actions, free);
    int fresh = Math.min(free, setup.maxTrials() - trials.highWater());
    boolean created = fresh > 0 && create(sweep, trials, setup, actions, fresh);
    if (!created
        && trials.active() == 0
        && trials.highWater() >= setup.maxTrials()
        && setup.stopping().promotions(trials.trials(), 1).isEmpty()) {
      return complete(status, trials, setup, actions, now);
    }
    running(status, trials, setup, now);
    return new SweepDecision(actions, status, Optional.of(POLL));
  }

  /** Finished trials whose verdict (early stopped, metrics unavailable) is not written yet. */
  private static void recordVerdicts(SweepTrials trials, List<SweepAction> actions) {
    for (TrialView v : trials.views()) {
      v.pendingVerdict()
          .ifPresent(
              verdict -> {
                String message =
                    verdict == SweepAction.Verdict.METRICS_UNAVAILABLE
                        ? "the trial ended without reporting its objective metric"
                        : "stopped early after epoch " + v.trial().lastEpoch();
                actions.add(new SweepAction.MarkTrial(v.name(), verdict, message));
                if (verdict == SweepAction.Verdict.METRICS_UNAVAILABLE) {
                  actions.add(
                      new SweepAction.Event(
                          true, SweepReason.METRICS_UNAVAILABLE, v.name() + ": " + message));
                }
              });
    }
  }

  /** Running trials the early-stopping rule gives up on are asked to stop after their report. */
  private static void earlyStops(SweepTrials trials, SweepSetup setup, List<SweepAction> actions) {
    List<Trial> all = trials.trials();
    for (TrialView v : trials.views()) {
      if (v.trial().state() != TrialState.RUNNING || v.earlyStopRequested()) {
        continue;
      }
      if (setup.stopping().decide(v.trial(), all) == Decision.STOP) {
        String why =
            setup.stopping().name()
                + ": "
                + setup.metric()
                + " at epoch "
                + v.trial().lastEpoch()
                + " is below the cutoff";
        actions.add(new SweepAction.EarlyStop(v.name(), why));
        actions.add(new SweepAction.Event(false, SweepReason.EARLY_STOPPED, v.name() + ": " + why));
      }
    }
  }

  /** Promotes paused trials into free slots; returns how many. */
  private static int promote(
      SweepTrials trials, SweepSetup setup, List<SweepAction> actions, int free) {
    if (free <= 0) {
      return 0;
    }
    List<Promotion> promotions = setup.stopping().promotions(trials.trials(), free);
    for (Promotion p : promotions) {
      TrialView v = trials.view(p.trialIndex());
      actions.add(new SweepAction.RaiseEpochs(v.name(), p.fromEpoch(), p.epochs()));
      actions.add(
          new SweepAction.Event(
              false,
              SweepReason.TRIAL_PROMOTED,
              v.name() + " promoted: epochs " + p.fromEpoch() + " -> " + p.epochs()));
      trials.update(v.trial().withState(TrialState.PENDING));
    }
    return promotions.size();
  }

  /** Creates up to {@code count} trials past every index handed out; whether any was. */
  private static boolean create(
      TuningJob sweep, SweepTrials trials, SweepSetup setup, List<SweepAction> actions, int count) {
    List<Suggestion> suggestions = setup.strategy().suggest(count, trials.trials());
    int index = trials.highWater();
    for (Suggestion s : suggestions) {
      Map<String, String> parameters = s.asStrings();
      int epochs = setup.stopping().initialEpochs(index);
      TrainingJob job = TrialFactory.build(sweep, index, parameters, epochs);
      actions.add(new SweepAction.CreateTrial(index, job));
      actions.add(
          new SweepAction.Event(
              false, SweepReason.TRIAL_CREATED, job.getMetadata().getName() + " " + parameters));
      trials.update(Trial.pending(index, parameters));
      index++;
    }
    return !suggestions.isEmpty();
  }

  /** A stop was asked for: no new trials; running ones stop after their next report. */
  private static SweepDecision stopping(
      TuningJobStatus status,
      SweepTrials trials,
      SweepSetup setup,
      List<SweepAction> actions,
      String why,
      Instant now) {
    closeOut(trials, actions, "the sweep was stopped");
    if (trials.active() > 0) {
      running(status, trials, setup, now);
      Conditions.set(
          status.conditions,
          Conditions.PROGRESSING,
          true,
          SweepReason.STOPPED.text(),
          "stopping: " + why + "; waiting for " + trials.active() + " running trial(s)",
          status.observedGeneration,
          now);
      return new SweepDecision(actions, status, Optional.of(POLL));
    }
    Phase phase = trials.best(setup.goal()) == null ? Phase.FAILED : Phase.SUCCEEDED;
    finish(status, trials, setup, phase, SweepReason.STOPPED, "stopped: " + why, now);
    actions.add(new SweepAction.Event(false, SweepReason.STOPPED, "stopped: " + why));
    return new SweepDecision(actions, status, Optional.empty());
  }

  private static SweepDecision complete(
      TuningJobStatus status,
      SweepTrials trials,
      SweepSetup setup,
      List<SweepAction> actions,
      Instant now) {
    closeOut(trials, actions, "not promoted");
    TuningJobStatus.BestTrial best = trials.best(setup.goal());
    if (best == null) {
      String why = "no trial of " + trials.highWater() + " reported " + setup.metric();
      finish(status, trials, setup, Phase.FAILED, SweepReason.NO_TRIAL_SUCCEEDED, why, now);
      actions.add(new SweepAction.Event(true, SweepReason.NO_TRIAL_SUCCEEDED, why));
    } else {
      String why = "best " + best.name + ": " + setup.metric() + "=" + format(best.objective);
      finish(status, trials, setup, Phase.SUCCEEDED, SweepReason.COMPLETED, why, now);
      actions.add(new SweepAction.Event(false, SweepReason.COMPLETED, why));
    }
    return new SweepDecision(actions, status, Optional.empty());
  }

  /**
   * Winds trials down: active ones are asked to stop, paused ones (never to be promoted) are marked
   * early stopped. Idempotent, so an ended sweep repeats it until every trial has settled.
   */
  private static void closeOut(SweepTrials trials, List<SweepAction> actions, String why) {
    for (TrialView v : trials.views()) {
      TrialState state = v.trial().state();
      if (state.isActive() && !v.earlyStopRequested()) {
        actions.add(new SweepAction.EarlyStop(v.name(), why));
      } else if (state == TrialState.PAUSED) {
        actions.add(
            new SweepAction.MarkTrial(
                v.name(),
                SweepAction.Verdict.EARLY_STOPPED,
                why + " after epoch " + v.trial().lastEpoch()));
      }
    }
    recordVerdicts(trials, actions);
  }

  private static void running(
      TuningJobStatus status, SweepTrials trials, SweepSetup setup, Instant now) {
    status.phase = Phase.RUNNING;
    counts(status, trials, setup);
    String message =
        status.trials.running
            + " running, "
            + trials.highWater()
            + " of "
            + setup.maxTrials()
            + " created";
    Conditions.set(
        status.conditions,
        Conditions.PROGRESSING,
        true,
        SweepReason.TRIALS_RUNNING.text(),
        message,
        status.observedGeneration,
        now);
    Conditions.set(
        status.conditions,
        Conditions.DEGRADED,
        false,
        SweepReason.AS_EXPECTED.text(),
        null,
        status.observedGeneration,
        now);
  }

  private static void finish(
      TuningJobStatus status,
      SweepTrials trials,
      SweepSetup setup,
      Phase phase,
      SweepReason reason,
      String message,
      Instant now) {
    counts(status, trials, setup);
    end(status, phase, reason, message, now);
  }

  private static void counts(TuningJobStatus status, SweepTrials trials, SweepSetup setup) {
    status.trials = trials.counts();
    status.progress = (status.trials.total - status.trials.running) + "/" + setup.maxTrials();
    status.bestTrial = trials.best(setup.goal());
  }

  private static void end(
      TuningJobStatus status, Phase phase, SweepReason reason, String message, Instant now) {
    status.phase = phase;
    status.completionTime = Conditions.timestamp(now);
    boolean ok = phase == Phase.SUCCEEDED;
    Long gen = status.observedGeneration;
    Conditions.set(
        status.conditions, Conditions.PROGRESSING, false, reason.text(), message, gen, now);
    Conditions.set(status.conditions, Conditions.READY, ok, reason.text(), message, gen, now);
    Conditions.set(
        status.conditions,
        Conditions.DEGRADED,
        !ok,
        ok ? SweepReason.AS_EXPECTED.text() : reason.text(),
        ok ? null : message,
        gen,
        now);
  }

  /** Why a stop was asked for, or null. */
  static String stopRequest(TuningJob sweep) {
    Map<String, String> a = sweep.getMetadata().getAnnotations();
    String why = a == null ? null : a.get(TrialNames.STOP);
    if (why == null) {
      return null;
    }
    return why.isBlank() ? "asked to stop" : why;
  }

  static String format(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
