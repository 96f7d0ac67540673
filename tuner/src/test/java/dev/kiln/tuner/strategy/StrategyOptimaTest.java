package dev.kiln.tuner.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.tuner.Goal;
import dev.kiln.tuner.Parameter;
import dev.kiln.tuner.Scale;
import dev.kiln.tuner.SearchSpace;
import dev.kiln.tuner.Strategies;
import dev.kiln.tuner.blackbox.BlackBoxRunner;
import dev.kiln.tuner.blackbox.Objective;
import dev.kiln.tuner.blackbox.TestFunction;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each strategy finds known optima within a fixed budget and seed (regret bounds, not times). */
class StrategyOptimaTest {

  private static double regret(String strategy, TestFunction f, int trials, long seed) {
    BlackBoxRunner.Result r =
        BlackBoxRunner.run(
            Strategies.create(strategy, f.space(), Goal.MINIMIZE, seed, trials),
            f.objective(),
            trials);
    assertThat(r.trials()).hasSize(trials);
    return r.bestAfter(trials, Goal.MINIMIZE).getAsDouble() - f.minimum();
  }

  @ParameterizedTest(name = "{0} on {1} in {2} trials: regret < {3}")
  @CsvSource({
    "bayesian, branin,      30,  0.05",
    "bayesian, hartmann6,   50,  0.3",
    "bayesian, rosenbrock4, 40,  100",
    "tpe,      branin,      100, 0.3",
    "tpe,      hartmann6,   100, 0.6",
    "random,   branin,      100, 2",
    "sobol,    branin,      100, 1",
    "grid,     branin,      100, 1"
  })
  void findsTheOptimum(String strategy, String function, int trials, double bound) {
    assertThat(regret(strategy, TestFunction.parse(function), trials, 1)).isLessThan(bound);
  }

  @Test
  void bayesianBeatsRandomSearchByAWideMarginOnHartmann6() {
    double[] bo = new double[5];
    double[] random = new double[5];
    for (int seed = 0; seed < 5; seed++) {
      bo[seed] = regret("bayesian", TestFunction.HARTMANN6, 40, seed);
      random[seed] = regret("random", TestFunction.HARTMANN6, 40, seed);
    }
    java.util.Arrays.sort(bo);
    java.util.Arrays.sort(random);
    assertThat(bo[2]).as("median regret of bayesian").isLessThan(0.5).isLessThan(random[2] / 3);
  }

  /**
   * A mixed space (log double, log int, categorical) and a maximized objective: the best value is 0
   * at lr = 10^-2.5, units = 100, optimizer adam.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"bayesian, 30, -0.1", "tpe, 60, -0.5"})
  void handlesMixedSpacesAndMaximization(String strategy, int trials, double atLeast) {
    SearchSpace space =
        SearchSpace.of(
            Parameter.ofDouble("lr", 1e-5, 1, Scale.LOG),
            Parameter.ofInt("units", 8, 1024, Scale.LOG),
            Parameter.ofCategorical("optimizer", List.of("sgd", "adam", "rmsprop")));
    Objective objective =
        p -> {
          double lr = Math.log10((Double) p.get("lr")) + 2.5;
          double units = Math.log((Long) p.get("units") / 100.0);
          double opt = "adam".equals(p.get("optimizer")) ? 0 : 1;
          return -(lr * lr + units * units + opt);
        };
    BlackBoxRunner.Result r =
        BlackBoxRunner.run(Strategies.create(strategy, space, Goal.MAXIMIZE, 3), objective, trials);
    assertThat(r.bestAfter(trials, Goal.MAXIMIZE).getAsDouble()).isGreaterThan(atLeast);
  }
}
