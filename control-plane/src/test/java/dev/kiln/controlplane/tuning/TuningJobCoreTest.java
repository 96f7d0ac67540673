package dev.kiln.controlplane.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.Conditions;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.status.Phase;
import dev.kiln.controlplane.core.StopSignal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TuningJobCoreTest {
  private static final String ASHA = "{type: asha, minEpochs: 1, reductionFactor: 3}";
  private static final String NONE = "{type: none}";

  @Test
  void createsTrialsUpToParallelWithTheirIndexParametersOwnerAndOutputRecorded() {
    SweepWorld w = new SweepWorld(SweepWorld.yaml("random", ASHA, 6, 2, 9));
    w.step();

    assertThat(w.trials).containsOnlyKeys("s-0", "s-1");
    TrainingJob t1 = w.trial(1);
    assertThat(t1.getMetadata().getAnnotations()).containsEntry(TrialNames.INDEX, "1");
    assertThat(TrialView.parameters(t1))
        .containsOnlyKeys("optimizer.learningRate", "model.layers.0.dense")
        .isEqualTo(Map.copyOf(t1.getSpec().hyperparameters));
    assertThat(t1.getMetadata().getOwnerReferences().get(0).getUid())
        .isEqualTo(w.sweep.getMetadata().getUid());
    assertThat(t1.getMetadata().getLabels()).containsEntry(TrialNames.LABEL_SWEEP, "s");
    assertThat(t1.getSpec().output.uri).isEqualTo("s3://models/s/s-1/");
    assertThat(t1.getSpec().algorithm.epochs).as("ASHA's first rung").isEqualTo(1);
    assertThat(t1.getSpec().ttlSecondsAfterFinished).isNull();
    assertThat(w.sweep.getStatus().phase).isEqualTo(Phase.RUNNING);
    assertThat(w.sweep.getStatus().trials.running).isEqualTo(2);
    assertThat(w.sweep.getStatus().trials.total).isEqualTo(2);
  }

  @Test
  void aSecondReconcileWithNothingNewChangesNothing() {
    SweepWorld w = new SweepWorld(SweepWorld.yaml("random", NONE, 6, 2, 3));
    w.step();
    w.step();
    assertThat(w.last.actions()).isEmpty();
    assertThat(w.last.statusChanged(w.sweep.getStatus())).isFalse();
  }

  @Test
  void aRestartedCoreContinuesFromTheTrialsWithoutDuplicatingOrLosingAny() {
    SweepWorld w = new SweepWorld(SweepWorld.yaml("bayesian", NONE, 5, 2, 3));
    w.step();
    w.complete(0, 3, 0.9);
    // The status write of the first decision was lost, and the core is new.
    w.sweep.setStatus(null);
    w.core = new TuningJobCore();
    w.step();

    assertThat(w.trials).containsOnlyKeys("s-0", "s-1", "s-2");
    assertThat(w.actionsOf(SweepAction.CreateTrial.class)).hasSize(1);
    assertThat(w.sweep.getStatus().trials.total).isEqualTo(3);
    assertThat(w.sweep.getStatus().trials.succeeded).isEqualTo(1);
    assertThat(w.sweep.getStatus().bestTrial.name).isEqualTo("s-0");
  }

  @Test
  void aTrialAskedToStopEndsSucceededWithConditionEarlyStoppedAndCountsAsStopped() {
    SweepWorld w =
        new SweepWorld(SweepWorld.yaml("random", "{type: median, minEpochs: 1}", 8, 4, 6));
    w.step();
    for (int k = 0; k < 3; k++) {
      w.complete(k, 6, 0.9);
    }
    w.report(3, 1, 0.1);
    w.step();

    assertThat(w.trial(3).getMetadata().getAnnotations()).containsKey(StopSignal.EARLY_STOP);
    // The worker stops after its next report; the TrainingJob succeeds.
    w.report(3, 2, 0.1);
    w.succeed(3);
    w.step();

    TrainingJob stopped = w.trial(3);
    assertThat(stopped.getStatus().phase).isEqualTo(Phase.SUCCEEDED);
    assertThat(Conditions.isTrue(stopped.getStatus().conditions, Conditions.EARLY_STOPPED))
        .isTrue();
    assertThat(w.sweep.getStatus().trials.stopped).isEqualTo(1);
  }

  @Test
  void aPromotionRaisesThePausedTrialsEpochsToTheNextRung() {
    SweepWorld w = new SweepWorld(SweepWorld.yaml("random", ASHA, 6, 3, 9));
    w.step();
    w.complete(0, 1, 0.5);
    w.complete(1, 1, 0.8);
    w.complete(2, 1, 0.6);
    w.step();

    assertThat(w.log).contains(new SweepAction.RaiseEpochs("s-1", 1, 3));
    assertThat(w.trial(1).getSpec().algorithm.epochs).isEqualTo(3);
    // The raise is not taken twice while the TrainingJob controller has not picked it up.
    w.step();
    assertThat(w.actionsOf(SweepAction.RaiseEpochs.class)).isEmpty();
    assertThat(w.sweep.getStatus().trials.running).isEqualTo(3);
  }

  @Test
  void aTrialEndingWithoutTheObjectiveIsFailedWithMetricsUnavailableAndCounted() {
    SweepWorld w = new SweepWorld(SweepWorld.yaml("random", NONE, 4, 1, 2));
    w.step();
    w.succeed(0);
    w.step();

    TrainingJob t = w.trial(0);
    assertThat(t.getStatus().phase).isEqualTo(Phase.FAILED);
    assertThat(Conditions.find(t.getStatus().conditions, Conditions.DEGRADED).get().getReason())
        .isEqualTo("MetricsUnavailable");
    assertThat(w.sweep.getStatus().trials.failed).isEqualTo(1);
    assertThat(w.trials).containsKey("s-1");
  }

  @Test
  void aTrialDeletedByHandIsCountedAsFailedNotWaitedOn() {
    SweepWorld w = new SweepWorld(SweepWorld.yaml("random", NONE, 3, 1, 2));
    w.step();
    w.trials.remove("s-0");
    w.step();

    assertThat(w.trials).containsOnlyKeys("s-1");
    assertThat(w.sweep.getStatus().trials.failed).isEqualTo(1);
    assertThat(w.sweep.getStatus().trials.total).isEqualTo(2);
  }

  @Test
  void reachingMaxFailedTrialsFailsTheSweepWithTheReasonAndStopsRunningTrials() {
    SweepWorld w = new SweepWorld(SweepWorld.yaml("random", NONE, 6, 3, 2));
    w.step();
    w.fail(0);
    w.fail(1);
    w.report(2, 1, 0.5);
    w.step();

    assertThat(w.sweep.getStatus().phase).isEqualTo(Phase.FAILED);
    assertThat(Conditions.find(w.sweep.getStatus().conditions, Conditions.DEGRADED).get())
        .satisfies(c -> assertThat(c.getReason()).isEqualTo("MaxFailedTrialsReached"))
        .satisfies(c -> assertThat(c.getMessage()).contains("2 trial(s) failed"));
    assertThat(w.trial(2).getMetadata().getAnnotations()).containsKey(StopSignal.EARLY_STOP);
    assertThat(w.trials).hasSize(3);
  }

  @Test
  void aSweepEndsSucceededWithTheBestTrialAndUnpromotedTrialsMarkedEarlyStopped() {
    SweepWorld w = new SweepWorld(SweepWorld.yaml("random", ASHA, 3, 3, 3));
    w.step();
    w.complete(0, 1, 0.5);
    w.complete(1, 1, 0.8);
    w.complete(2, 1, 0.6);
    w.step();
    w.complete(1, 3, 0.95);
    w.step();

    var status = w.sweep.getStatus();
    assertThat(status.phase).isEqualTo(Phase.SUCCEEDED);
    assertThat(status.bestTrial.name).isEqualTo("s-1");
    assertThat(status.bestTrial.objective).isEqualTo(0.95);
    assertThat(status.bestTrial.parameters).containsKey("optimizer.learningRate");
    assertThat(status.trials.succeeded).isEqualTo(1);
    assertThat(status.trials.stopped).isEqualTo(2);
    assertThat(status.progress).isEqualTo("3/3");
    assertThat(Conditions.isTrue(w.trial(0).getStatus().conditions, Conditions.EARLY_STOPPED))
        .isTrue();
  }

  @Test
  void anInvalidSpecFailsTheSweepSayingWhy() {
    SweepWorld w =
        new SweepWorld(SweepWorld.yaml("random", NONE, 3, 1, 2).replace("min: 16", "min: 500"));
    w.step();
    assertThat(w.sweep.getStatus().phase).isEqualTo(Phase.FAILED);
    assertThat(Conditions.find(w.sweep.getStatus().conditions, Conditions.DEGRADED).get())
        .satisfies(c -> assertThat(c.getReason()).isEqualTo("InvalidSpec"));
    assertThat(w.trials).isEmpty();
  }

  @Test
  void aStopRequestStopsRunningTrialsAndEndsTheSweepOnceTheyHave() {
    SweepWorld w = new SweepWorld(SweepWorld.yaml("random", NONE, 6, 2, 4));
    w.step();
    w.complete(0, 4, 0.7);
    w.report(1, 1, 0.4);
    w.sweep.getMetadata().setAnnotations(Map.of(TrialNames.STOP, "enough"));
    w.step();
    assertThat(w.actionsOf(SweepAction.CreateTrial.class)).isEmpty();
    assertThat(w.trial(1).getMetadata().getAnnotations()).containsKey(StopSignal.EARLY_STOP);
    assertThat(w.sweep.getStatus().phase).isEqualTo(Phase.RUNNING);

    w.report(1, 2, 0.45);
    w.succeed(1);
    w.step();
    assertThat(w.sweep.getStatus().phase).isEqualTo(Phase.SUCCEEDED);
    assertThat(w.sweep.getStatus().bestTrial.name).isEqualTo("s-0");
    assertThat(w.trials).hasSize(2);
  }
}
