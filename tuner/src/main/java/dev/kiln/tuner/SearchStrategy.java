package dev.kiln.tuner;

import java.util.List;

/**
 * A way to pick the next trials' parameters.
 *
 * <p>Implementations are pure functions of their construction arguments (space, goal, seed) and the
 * history passed in: the same seed and the same trials give the same suggestions, whether the
 * instance is new (after a controller restart) or has been used before. They keep no state that
 * matters; a cache may only save time.
 */
public interface SearchStrategy {

  /** The strategy's name: random, grid, sobol, bayesian or tpe. */
  String name();

  SearchSpace space();

  /**
   * Parameters for up to {@code count} new trials, given every trial of the sweep so far, in any
   * order and in any state. Active (pending and running) trials are taken into account so that
   * parallel suggestions differ. Suggestion {@code j} is meant for trial index {@code
   * nextIndex(history) + j}. Returns fewer only when the space is exhausted (grid).
   */
  List<Suggestion> suggest(int count, List<Trial> history);

  /** The index the next trial gets: one more than the largest in the history, 0 if empty. */
  static int nextIndex(List<Trial> history) {
    int next = 0;
    for (Trial t : history) {
      next = Math.max(next, t.index() + 1);
    }
    return next;
  }
}
