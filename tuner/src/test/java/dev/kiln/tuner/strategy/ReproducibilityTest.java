package dev.kiln.tuner.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.tuner.Goal;
import dev.kiln.tuner.Parameter;
import dev.kiln.tuner.Scale;
import dev.kiln.tuner.SearchSpace;
import dev.kiln.tuner.SearchStrategy;
import dev.kiln.tuner.Strategies;
import dev.kiln.tuner.Suggestion;
import dev.kiln.tuner.Trial;
import dev.kiln.tuner.blackbox.TestFunction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReproducibilityTest {
  private static final SearchSpace SPACE =
      SearchSpace.of(
          Parameter.ofDouble("lr", 1e-4, 0.1, Scale.LOG),
          Parameter.ofInt("units", 32, 256, Scale.LINEAR),
          Parameter.ofDouble("dropout", 0, 0.5, Scale.LINEAR),
          Parameter.ofCategorical("optimizer", List.of("sgd", "adam")));

  /** 18 finished trials and 2 still running, as a controller would rebuild them from status. */
  private static List<Trial> history() {
    SearchStrategy random = Strategies.create("random", SPACE, Goal.MAXIMIZE, 99);
    List<Trial> h = new ArrayList<>();
    for (Suggestion s : random.suggest(20, List.of())) {
      Map<String, Object> p = s.parameters();
      int k = h.size();
      if (k >= 18) {
        h.add(Trial.pending(k, s.asStrings())); // recorded as strings in hyperparameters
      } else {
        double acc =
            0.9
                - Math.abs(Math.log10((Double) p.get("lr")) + 2) * 0.1
                - (Double) p.get("dropout") * 0.2;
        h.add(Trial.completed(k, s.asStrings(), acc));
      }
    }
    return h;
  }

  @ParameterizedTest
  @ValueSource(strings = {"random", "grid", "sobol", "bayesian", "tpe"})
  void sameSeedAndTrialsGiveTheSameSuggestions(String name) {
    List<Trial> h = history();
    SearchStrategy first = Strategies.create(name, SPACE, Goal.MAXIMIZE, 42, 100);
    List<Suggestion> a = first.suggest(3, h);
    // Asked again (warm), by a new instance as after a restart, and with the trials in another
    // order.
    List<Trial> shuffled = new ArrayList<>(h);
    Collections.shuffle(shuffled, new Random(1));
    assertThat(first.suggest(3, h)).isEqualTo(a);
    assertThat(Strategies.create(name, SPACE, Goal.MAXIMIZE, 42, 100).suggest(3, shuffled))
        .isEqualTo(a);
    assertThat(Strategies.create(name, SPACE, Goal.MAXIMIZE, 43, 100).suggest(3, h))
        .isNotEqualTo(a);
  }

  @ParameterizedTest
  @ValueSource(strings = {"random", "grid", "sobol", "bayesian", "tpe"})
  void parallelSuggestionsDiffer(String name) {
    List<Suggestion> s =
        Strategies.create(name, SPACE, Goal.MAXIMIZE, 7, 100).suggest(4, history());
    assertThat(s).hasSize(4);
    assertThat(new HashSet<>(s)).hasSize(4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bayesian"})
  void aRunningTrialPushesTheNextSuggestionAway(String name) {
    TestFunction f = TestFunction.BRANIN;
    SearchStrategy s = Strategies.create(name, f.space(), Goal.MINIMIZE, 5);
    List<Trial> h = new ArrayList<>();
    for (Suggestion sug :
        Strategies.create("sobol", f.space(), Goal.MINIMIZE, 5).suggest(12, List.of())) {
      h.add(
          Trial.completed(
              h.size(),
              sug.parameters(),
              f.at((Double) sug.parameters().get("x0"), (Double) sug.parameters().get("x1"))));
    }
    Suggestion alone = s.suggest(1, h).get(0);
    h.add(Trial.pending(h.size(), alone.parameters()));
    Suggestion next = s.suggest(1, h).get(0);
    double[] a = f.space().toUnit(alone.parameters());
    double[] b = f.space().toUnit(next.parameters());
    assertThat(Math.hypot(a[0] - b[0], a[1] - b[1])).isGreaterThan(0.01);
  }
}
