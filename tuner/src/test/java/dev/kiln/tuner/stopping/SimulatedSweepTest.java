package dev.kiln.tuner.stopping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.tuner.Goal;
import dev.kiln.tuner.Parameter;
import dev.kiln.tuner.Scale;
import dev.kiln.tuner.SearchSpace;
import dev.kiln.tuner.SearchStrategy;
import dev.kiln.tuner.Strategies;
import dev.kiln.tuner.TrialState;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A sweep driven the way the TuningJob controller drives it, against simulated trials that resume
 * from checkpoints: decisions after each report, promotions into free slots, new trials into the
 * rest. The rule is rebuilt from the trials at every step, as after a restart.
 */
class SimulatedSweepTest {
  private static final int MAX_EPOCHS = 9;
  private static final int SLOTS = 3;
  private static final int MAX_TRIALS = 27;
  private static final SearchSpace SPACE =
      SearchSpace.of(Parameter.ofDouble("x", 0, 1, Scale.LINEAR));

  /** Validation accuracy: better for x near 0.7, rising with epochs. */
  private static double accuracy(Map<String, Object> p, int epoch) {
    double x = (Double) p.get("x");
    return (1 - (x - 0.7) * (x - 0.7)) * (1 - Math.exp(-epoch / 3.0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"asha", "hyperband"})
  void promotedTrialsResumeAfterTheirRungAndTheBestReachesTheFullBudget(String type) {
    SimulatedTrials sim = new SimulatedTrials(SimulatedSweepTest::accuracy, MAX_EPOCHS);
    SearchStrategy strategy = Strategies.create("random", SPACE, Goal.MAXIMIZE, 4);
    EarlyStopping longLived = EarlyStopping.create(type, Goal.MAXIMIZE, 1, 3, MAX_EPOCHS);
    int promotions = 0;
    for (int step = 0; step < 1000; step++) {
      for (SimulatedTrials.Run r : sim.tick()) {
        if (r.state == TrialState.RUNNING
            && longLived.decide(r.toTrial(), sim.trials()) == Decision.STOP) {
          sim.stop(r.index);
        }
      }
      EarlyStopping rebuilt = EarlyStopping.create(type, Goal.MAXIMIZE, 1, 3, MAX_EPOCHS);
      int free = (int) (SLOTS - sim.running());
      List<Promotion> ps = longLived.promotions(sim.trials(), free);
      assertThat(rebuilt.promotions(sim.trials(), free)).isEqualTo(ps);
      for (Promotion p : ps) {
        assertThat(sim.get(p.trialIndex()).checkpoint).isEqualTo(p.fromEpoch());
        sim.resume(p.trialIndex(), p.epochs());
        promotions++;
      }
      free -= ps.size();
      while (free-- > 0 && sim.runs().size() < MAX_TRIALS) {
        int k = sim.runs().size();
        sim.start(strategy.suggest(1, sim.trials()).get(0).parameters(), rebuilt.initialEpochs(k));
      }
      if (sim.running() == 0 && ps.isEmpty() && sim.runs().size() == MAX_TRIALS) {
        break;
      }
    }

    assertThat(sim.runs()).hasSize(MAX_TRIALS);
    assertThat(sim.running()).isZero();
    assertThat(promotions).isGreaterThan(3);
    for (SimulatedTrials.Run r : sim.runs()) {
      // A promoted trial's first epoch is its rung + 1: it resumed from its checkpoint.
      assertThat(r.firstEpochAfterResume).hasSameSizeAs(r.resumedFrom);
      for (int i = 0; i < r.resumedFrom.size(); i++) {
        assertThat(r.firstEpochAfterResume.get(i)).isEqualTo(r.resumedFrom.get(i) + 1);
      }
      // Epochs are reported once each, in order: nothing restarted from scratch.
      for (int e = 0; e < r.history.size(); e++) {
        assertThat(r.history.get(e).epoch()).isEqualTo(e + 1);
      }
    }
    SimulatedTrials.Run best =
        sim.runs().stream()
            .max(Comparator.comparingDouble(r -> accuracy(r.parameters, MAX_EPOCHS)))
            .orElseThrow();
    assertThat(best.state).isEqualTo(TrialState.COMPLETED);
    assertThat(best.checkpoint).isEqualTo(MAX_EPOCHS);
    assertThat(sim.epochsTrained).isLessThan(MAX_TRIALS * MAX_EPOCHS * 2 / 3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"median"})
  void theMedianRuleStopsPoorTrialsEarly(String type) {
    SimulatedTrials sim = new SimulatedTrials(SimulatedSweepTest::accuracy, MAX_EPOCHS);
    SearchStrategy strategy = Strategies.create("random", SPACE, Goal.MAXIMIZE, 4);
    EarlyStopping rule = EarlyStopping.create(type, Goal.MAXIMIZE, 2, 3, MAX_EPOCHS);
    for (int step = 0;
        step < 1000 && !(sim.running() == 0 && sim.runs().size() == MAX_TRIALS);
        step++) {
      for (SimulatedTrials.Run r : sim.tick()) {
        if (r.state == TrialState.RUNNING
            && rule.decide(r.toTrial(), sim.trials()) == Decision.STOP) {
          sim.stop(r.index);
        }
      }
      for (long free = SLOTS - sim.running(); free > 0 && sim.runs().size() < MAX_TRIALS; free--) {
        sim.start(
            strategy.suggest(1, sim.trials()).get(0).parameters(),
            rule.initialEpochs(sim.runs().size()));
      }
    }
    long stopped = sim.runs().stream().filter(r -> r.state == TrialState.STOPPED).count();
    assertThat(stopped).isGreaterThan(5);
    assertThat(sim.runs().stream().filter(r -> r.state == TrialState.STOPPED))
        .allMatch(r -> r.checkpoint >= 2 && r.checkpoint < MAX_EPOCHS);
    assertThat(sim.epochsTrained).isLessThan(MAX_TRIALS * MAX_EPOCHS);
  }
}
