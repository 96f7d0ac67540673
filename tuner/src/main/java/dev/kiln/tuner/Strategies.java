package dev.kiln.tuner;

import dev.kiln.tuner.strategy.BayesianSearch;
import dev.kiln.tuner.strategy.GridSearch;
import dev.kiln.tuner.strategy.RandomSearch;
import dev.kiln.tuner.strategy.SobolSearch;
import dev.kiln.tuner.strategy.TpeSearch;
import java.util.List;
import java.util.Locale;

/** Strategies by the names a TuningJob's {@code strategy.type} uses. */
public final class Strategies {
  /** Every strategy name, in the order the docs list them. */
  public static final List<String> NAMES = List.of("random", "grid", "sobol", "bayesian", "tpe");

  private Strategies() {}

  /** The strategy called {@code name}, with its defaults. */
  public static SearchStrategy create(String name, SearchSpace space, Goal goal, long seed) {
    return create(name, space, goal, seed, 0);
  }

  /**
   * The strategy called {@code name}, with its defaults. {@code maxTrials} (0 if unknown) sizes the
   * grid: the coarsest grid with at least that many points; other strategies ignore it.
   */
  public static SearchStrategy create(
      String name, SearchSpace space, Goal goal, long seed, int maxTrials) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "random" -> new RandomSearch(space, seed);
      case "grid" ->
          maxTrials > 0
              ? GridSearch.forBudget(space, seed, maxTrials)
              : new GridSearch(space, seed, GridSearch.DEFAULT_POINTS);
      case "sobol" -> new SobolSearch(space, seed);
      case "bayesian" -> new BayesianSearch(space, goal, seed);
      case "tpe" -> new TpeSearch(space, goal, seed);
      default ->
          throw new IllegalArgumentException(
              "strategy must be one of " + String.join(", ", NAMES) + ", got '" + name + "'");
    };
  }
}
