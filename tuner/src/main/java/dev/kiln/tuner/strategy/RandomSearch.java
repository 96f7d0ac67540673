package dev.kiln.tuner.strategy;

import dev.kiln.tuner.SearchSpace;
import dev.kiln.tuner.SearchStrategy;
import dev.kiln.tuner.Suggestion;
import dev.kiln.tuner.Trial;
import dev.kiln.tuner.math.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * Independent uniform draws (in each parameter's scale); trial k's draw depends only on (seed, k).
 */
public final class RandomSearch implements SearchStrategy {
  private final SearchSpace space;
  private final long seed;

  public RandomSearch(SearchSpace space, long seed) {
    this.space = space;
    this.seed = seed;
  }

  @Override
  public String name() {
    return "random";
  }

  @Override
  public SearchSpace space() {
    return space;
  }

  @Override
  public List<Suggestion> suggest(int count, List<Trial> history) {
    int next = SearchStrategy.nextIndex(history);
    List<Suggestion> out = new ArrayList<>(count);
    for (int j = 0; j < count; j++) {
      out.add(new Suggestion(space.fromUnit(point(space.size(), seed, next + j))));
    }
    return out;
  }

  /** The uniform point in [0, 1)^dims for trial {@code index}. */
  static double[] point(int dims, long seed, long index) {
    return Rng.of(seed, 0x52414E44L, index).nextUnit(dims);
  }
}
