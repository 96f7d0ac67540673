package dev.kiln.tuner.blackbox;

import dev.kiln.tuner.Goal;
import dev.kiln.tuner.SearchStrategy;
import dev.kiln.tuner.Suggestion;
import dev.kiln.tuner.Trial;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Runs a strategy against a black-box objective one trial at a time: suggest from the history,
 * evaluate, record. Built-in functions and commands go through this same loop.
 */
public final class BlackBoxRunner {

  /**
   * What a run produced.
   *
   * @param trials every trial in order (failed ones included)
   * @param suggestNanos wall time of each {@code suggest} call; entry k was made with k trials of
   *     history
   * @param suggestCpuNanos CPU time of the calling thread in each {@code suggest} call, which other
   *     processes on a busy machine do not inflate
   */
  public record Result(List<Trial> trials, long[] suggestNanos, long[] suggestCpuNanos) {

    /** The best objective among the first {@code k} trials, if any succeeded. */
    public OptionalDouble bestAfter(int k, Goal goal) {
      OptionalDouble best = OptionalDouble.empty();
      for (Trial t : trials.subList(0, Math.min(k, trials.size()))) {
        OptionalDouble v = t.observedValue();
        if (v.isPresent()
            && (best.isEmpty() || goal.isBetter(v.getAsDouble(), best.getAsDouble()))) {
          best = v;
        }
      }
      return best;
    }
  }

  private BlackBoxRunner() {}

  /** Runs up to {@code trials} trials (fewer when the strategy runs out, as a grid does). */
  public static Result run(SearchStrategy strategy, Objective objective, int trials) {
    List<Trial> history = new ArrayList<>();
    long[] nanos = new long[trials];
    long[] cpu = new long[trials];
    for (int k = 0; k < trials; k++) {
      long c0 = cpuNanos();
      long t0 = System.nanoTime();
      List<Suggestion> s = strategy.suggest(1, List.copyOf(history));
      nanos[k] = System.nanoTime() - t0;
      cpu[k] = cpuNanos() - c0;
      if (s.isEmpty()) {
        return new Result(history, Arrays.copyOf(nanos, k), Arrays.copyOf(cpu, k));
      }
      Suggestion suggestion = s.get(0);
      try {
        history.add(
            Trial.completed(
                k, suggestion.parameters(), objective.evaluate(suggestion.parameters())));
      } catch (Objective.ObjectiveException e) {
        history.add(Trial.failed(k, suggestion.parameters()));
      }
    }
    return new Result(history, nanos, cpu);
  }

  /** CPU time of the current thread (0 where the JVM cannot measure it). */
  public static long cpuNanos() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    return mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : 0;
  }
}
