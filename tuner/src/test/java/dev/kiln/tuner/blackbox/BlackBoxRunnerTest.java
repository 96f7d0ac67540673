package dev.kiln.tuner.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.tuner.Goal;
import dev.kiln.tuner.Strategies;
import dev.kiln.tuner.TrialState;
import org.junit.jupiter.api.Test;

class BlackBoxRunnerTest {
  @Test
  void aBuiltInFunctionAndAnEquivalentObjectiveTakeTheSamePath() {
    TestFunction f = TestFunction.BRANIN;
    Objective wrapped = p -> f.at((Double) p.get("x0"), (Double) p.get("x1"));
    BlackBoxRunner.Result a =
        BlackBoxRunner.run(
            Strategies.create("bayesian", f.space(), Goal.MINIMIZE, 3), f.objective(), 15);
    BlackBoxRunner.Result b =
        BlackBoxRunner.run(Strategies.create("bayesian", f.space(), Goal.MINIMIZE, 3), wrapped, 15);
    assertThat(b.trials()).isEqualTo(a.trials());
    assertThat(a.suggestNanos()).hasSize(15);
  }

  @Test
  void aFailedEvaluationIsRecordedAndTheRunGoesOn() {
    TestFunction f = TestFunction.BRANIN;
    int[] calls = {0};
    Objective flaky =
        p -> {
          if (calls[0]++ % 3 == 0) {
            throw new Objective.ObjectiveException("no metric");
          }
          return f.objective().evaluate(p);
        };
    BlackBoxRunner.Result r =
        BlackBoxRunner.run(Strategies.create("tpe", f.space(), Goal.MINIMIZE, 0), flaky, 12);
    assertThat(r.trials()).hasSize(12);
    assertThat(r.trials().stream().filter(t -> t.state() == TrialState.FAILED)).hasSize(4);
    assertThat(r.bestAfter(12, Goal.MINIMIZE)).isPresent();
  }

  @Test
  void parsesTheLastNonEmptyLine() throws Exception {
    assertThat(CommandObjective.parseLastLine("epoch 1\nloss=3\n 0.25 \n\n")).isEqualTo(0.25);
  }
}
