package dev.kiln.tuner.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.tuner.Goal;
import dev.kiln.tuner.SearchSpace;
import dev.kiln.tuner.SearchStrategy;
import dev.kiln.tuner.Strategies;
import dev.kiln.tuner.Trial;
import dev.kiln.tuner.blackbox.BlackBoxRunner;
import dev.kiln.tuner.blackbox.CommandObjective;
import dev.kiln.tuner.blackbox.Objective;
import dev.kiln.tuner.blackbox.TestFunction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * {@code kiln bench tuner}: runs a strategy on a black-box objective for {@code --trials N} trials
 * with seeds 0..K−1 and prints one JSON line with the median simple regret (|best found − known
 * optimum|) after 10, 25, 50, 100 (those ≤ N) and N trials, and the mean wall time of a suggestion
 * at the largest histories (the calls made with N−9..N observations, refits included).
 *
 * <pre>
 * TunerBench (--function branin|hartmann6|rosenbrock4
 *             | --objective-cmd CMD --space FILE [--optimum V] [--goal minimize|maximize])
 *            [--strategy bayesian] [--trials 50] [--seeds 10]
 * </pre>
 */
public final class TunerBench {
  private static final int TIMING_WINDOW = 10;

  private TunerBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts;
    try {
      opts = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("kiln bench tuner: " + e.getMessage());
      System.err.println(
          "usage: (--function branin|hartmann6|rosenbrock4 | --objective-cmd CMD --space FILE"
              + " [--optimum V] [--goal minimize|maximize]) [--strategy S] [--trials N] [--seeds K]");
      System.exit(2);
      return;
    }
    System.out.println(run(opts));
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> opts = new LinkedHashMap<>();
    List<String> known =
        List.of(
            "function", "objective-cmd", "space", "optimum", "goal", "strategy", "trials", "seeds");
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || !known.contains(a.substring(2))) {
        throw new IllegalArgumentException("unknown argument '" + a + "'");
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(a + " needs a value");
      }
      opts.put(a.substring(2), args[++i]);
    }
    if (opts.containsKey("function") == opts.containsKey("objective-cmd")) {
      throw new IllegalArgumentException("give exactly one of --function and --objective-cmd");
    }
    if (opts.containsKey("objective-cmd") && !opts.containsKey("space")) {
      throw new IllegalArgumentException("--objective-cmd needs --space FILE");
    }
    return opts;
  }

  /** Runs the benchmark and returns its JSON line. */
  static String run(Map<String, String> opts) throws Exception {
    String strategyName = opts.getOrDefault("strategy", "bayesian");
    int trials = positive(opts.getOrDefault("trials", "50"), "--trials");
    int seeds = positive(opts.getOrDefault("seeds", "10"), "--seeds");
    SearchSpace space;
    Objective objective;
    Goal goal;
    Double optimum;
    String functionName;
    if (opts.containsKey("function")) {
      TestFunction f = TestFunction.parse(opts.get("function"));
      space = f.space();
      objective = f.objective();
      goal = Goal.MINIMIZE;
      optimum = f.minimum();
      functionName = f.wireName();
    } else {
      space = SpaceFile.read(Path.of(opts.get("space")));
      objective = new CommandObjective(opts.get("objective-cmd"));
      goal = Goal.parse(opts.getOrDefault("goal", "minimize"));
      optimum = opts.containsKey("optimum") ? Double.parseDouble(opts.get("optimum")) : null;
      functionName = opts.get("objective-cmd");
    }
    TreeSet<Integer> checkpoints = new TreeSet<>();
    for (int c : new int[] {10, 25, 50, 100}) {
      if (c <= trials) {
        checkpoints.add(c);
      }
    }
    checkpoints.add(trials);

    Map<Integer, List<Double>> bests = new LinkedHashMap<>();
    checkpoints.forEach(c -> bests.put(c, new ArrayList<>()));
    List<Long> window = new ArrayList<>();
    List<Long> cpuWindow = new ArrayList<>();
    int failed = 0;
    for (int seed = 0; seed < seeds; seed++) {
      SearchStrategy strategy = Strategies.create(strategyName, space, goal, seed, trials);
      BlackBoxRunner.Result result = BlackBoxRunner.run(strategy, objective, trials);
      for (int c : checkpoints) {
        OptionalDouble best = result.bestAfter(c, goal);
        bests.get(c).add(best.isPresent() ? best.getAsDouble() : Double.NaN);
      }
      long[] nanos = result.suggestNanos();
      for (int k = Math.max(0, nanos.length - (TIMING_WINDOW - 1)); k < nanos.length; k++) {
        window.add(nanos[k]);
        cpuWindow.add(result.suggestCpuNanos()[k]);
      }
      List<Trial> history = result.trials();
      long c0 = BlackBoxRunner.cpuNanos();
      long t0 = System.nanoTime();
      strategy.suggest(1, history); // one more at the full history, timed only
      window.add(System.nanoTime() - t0);
      cpuWindow.add(BlackBoxRunner.cpuNanos() - c0);
      failed += (int) history.stream().filter(t -> t.observedValue().isEmpty()).count();
      OptionalDouble best = result.bestAfter(trials, goal);
      System.err.printf(
          "seed %d: best %s after %d trials%n",
          seed, best.isPresent() ? best.getAsDouble() : "none", history.size());
    }

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("strategy", strategyName);
    out.put("function", functionName);
    out.put("trials", trials);
    out.put("seeds", seeds);
    Map<String, Object> regret = new LinkedHashMap<>();
    Map<String, Object> best = new LinkedHashMap<>();
    for (int c : checkpoints) {
      best.put(Integer.toString(c), finite(median(bests.get(c))));
      if (optimum != null) {
        List<Double> r = bests.get(c).stream().map(b -> Math.abs(b - optimum)).toList();
        regret.put(Integer.toString(c), finite(median(r)));
      }
    }
    out.put("median_regret", optimum == null ? null : regret);
    out.put("median_best", best);
    out.put("ms_per_suggestion", meanMillis(window));
    out.put("cpu_ms_per_suggestion", meanMillis(cpuWindow));
    out.put("failed_trials", failed);
    out.put("goal", goal.wireName());
    return new ObjectMapper().writeValueAsString(out);
  }

  private static double meanMillis(List<Long> nanos) {
    return nanos.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static double median(List<Double> values) {
    double[] v =
        values.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  }

  private static int positive(String s, String what) {
    try {
      int v = Integer.parseInt(s.trim());
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // fall through
    }
    throw new IllegalArgumentException(what + " must be a positive integer, got '" + s + "'");
  }
}
