package dev.kiln.tuner.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.tuner.Parameter;
import dev.kiln.tuner.Scale;
import dev.kiln.tuner.SearchSpace;
import dev.kiln.tuner.Suggestion;
import dev.kiln.tuner.Trial;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GridSearchTest {
  private static final SearchSpace SPACE =
      SearchSpace.of(
          Parameter.ofDouble("lr", 1e-3, 1e-1, Scale.LOG),
          Parameter.ofInt("layers", 1, 3, Scale.LINEAR),
          Parameter.ofCategorical("opt", List.of("sgd", "adam")));

  @Test
  void handsOutEveryPointOnceThenStops() {
    GridSearch grid = new GridSearch(SPACE, 1, 3);
    assertThat(grid.size()).isEqualTo(3 * 3 * 2);
    List<Trial> history = new ArrayList<>();
    Set<Map<String, Object>> seen = new HashSet<>();
    while (true) {
      List<Suggestion> s = grid.suggest(4, history);
      if (s.isEmpty()) {
        break;
      }
      for (Suggestion x : s) {
        seen.add(x.parameters());
        history.add(Trial.completed(history.size(), x.parameters(), 0));
      }
    }
    assertThat(history).hasSize(18);
    assertThat(seen).hasSize(18);
    double[] lrs =
        seen.stream().mapToDouble(p -> (Double) p.get("lr")).distinct().sorted().toArray();
    assertThat(lrs).hasSize(3);
    assertThat(lrs[0]).isEqualTo(1e-3);
    assertThat(lrs[1]).isCloseTo(1e-2, within(1e-15));
    assertThat(lrs[2]).isEqualTo(0.1);
  }

  @Test
  void sizesItselfToTheBudget() {
    GridSearch grid = GridSearch.forBudget(SPACE, 0, 40);
    assertThat(grid.size()).isGreaterThanOrEqualTo(40).isLessThan(60);
  }
}
