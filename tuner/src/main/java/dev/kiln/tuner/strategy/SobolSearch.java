package dev.kiln.tuner.strategy;

import dev.kiln.tuner.SearchSpace;
import dev.kiln.tuner.SearchStrategy;
import dev.kiln.tuner.Suggestion;
import dev.kiln.tuner.Trial;
import dev.kiln.tuner.math.Rng;
import dev.kiln.tuner.math.Sobol;
import java.util.ArrayList;
import java.util.List;

/**
 * Quasi-random search: trial k gets point k of a Sobol sequence (one dimension per parameter) with
 * a digital shift drawn from the seed, so different seeds give different, equally well-spread
 * designs. Up to {@value Sobol#MAX_DIMENSIONS} parameters.
 */
public final class SobolSearch implements SearchStrategy {
  private final SearchSpace space;
  private final Sobol sobol;
  private final long[] shift;

  public SobolSearch(SearchSpace space, long seed) {
    if (space.size() > Sobol.MAX_DIMENSIONS) {
      throw new IllegalArgumentException(
          "sobol supports up to "
              + Sobol.MAX_DIMENSIONS
              + " parameters, the space has "
              + space.size());
    }
    this.space = space;
    this.sobol = new Sobol(space.size());
    this.shift = sobol.randomShift(Rng.of(seed, 0x534F424FL));
  }

  @Override
  public String name() {
    return "sobol";
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
      out.add(new Suggestion(space.fromUnit(point(next + j))));
    }
    return out;
  }

  /** The shifted Sobol point for trial {@code index}. */
  double[] point(long index) {
    return sobol.point(index, shift);
  }
}
