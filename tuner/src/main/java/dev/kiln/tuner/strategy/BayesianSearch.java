package dev.kiln.tuner.strategy;

import dev.kiln.tuner.Goal;
import dev.kiln.tuner.Observations;
import dev.kiln.tuner.SearchSpace;
import dev.kiln.tuner.SearchStrategy;
import dev.kiln.tuner.Suggestion;
import dev.kiln.tuner.Trial;
import dev.kiln.tuner.gp.GaussianProcess;
import dev.kiln.tuner.gp.GpFitter;
import dev.kiln.tuner.gp.GpHyperparameters;
import dev.kiln.tuner.math.Lbfgs;
import dev.kiln.tuner.math.Rng;
import dev.kiln.tuner.math.Sobol;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Bayesian optimization with a Gaussian process.
 *
 * <ul>
 *   <li>Inputs: unit coordinates (log transforms for log-scale parameters), ints as bins, one-hot
 *       categories (see {@link Encoder}); outputs: losses through an {@link OutputWarp}.
 *   <li>Model: Matérn 5/2 ARD kernel, hyperparameters fitted by maximizing the marginal likelihood
 *       (L-BFGS, a fixed start plus seeded restarts). The fit is a pure function of the
 *       observations; it is recomputed every observation early on and every few observations later
 *       (on the first m observations by trial index), and memoized, which caps its cost.
 *   <li>Acquisition: log expected improvement, maximized over random candidates and neighbours of
 *       the best points, then refined with bounded L-BFGS from the best few.
 *   <li>The first trials follow a seeded Sobol design. Pending and running trials, and suggestions
 *       earlier in the same call, enter the GP as "kriging believer" fantasies (their value is the
 *       posterior mean), so parallel suggestions differ.
 * </ul>
 */
public final class BayesianSearch implements SearchStrategy {

  /**
   * Tuning knobs, one set for every problem.
   *
   * @param initialPoints Sobol trials before the GP takes over; 0 means max(5, d + 1) for d
   *     parameters
   * @param randomCandidates uniform candidates per suggestion
   * @param localCandidates candidates around the best observations per suggestion
   * @param refineStarts candidates refined by L-BFGS
   * @param fitRestarts random restarts of the hyperparameter fit
   * @param fitIterations L-BFGS iterations per hyperparameter start
   * @param warp the output transform
   */
  public record Options(
      int initialPoints,
      int randomCandidates,
      int localCandidates,
      int refineStarts,
      int fitRestarts,
      int fitIterations,
      String warp) {

    public static Options defaults() {
      return new Options(0, 256, 64, 3, 1, 40, "log");
    }
  }

  private static final int CACHE_SIZE = 16;
  private static final int MAX_FIT_POINTS = 48;
  private final SearchSpace space;
  private final Goal goal;
  private final long seed;
  private final Options options;
  private final Encoder encoder;
  private final Sobol sobol;
  private final long[] shift;
  private final OutputWarp warp;
  private final GpFitter fitter;
  private final Map<Long, GpHyperparameters> fits =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, GpHyperparameters> e) {
          return size() > CACHE_SIZE;
        }
      };

  public BayesianSearch(SearchSpace space, Goal goal, long seed) {
    this(space, goal, seed, Options.defaults());
  }

  public BayesianSearch(SearchSpace space, Goal goal, long seed, Options options) {
    this.space = space;
    this.goal = goal;
    this.seed = seed;
    this.options = options;
    this.encoder = new Encoder(space);
    this.sobol = space.size() <= Sobol.MAX_DIMENSIONS ? new Sobol(space.size()) : null;
    this.shift = sobol == null ? null : sobol.randomShift(Rng.of(seed, 0x534F424FL));
    this.warp = OutputWarp.parse(options.warp());
    this.fitter = new GpFitter(options.fitRestarts(), options.fitIterations());
  }

  @Override
  public String name() {
    return "bayesian";
  }

  @Override
  public SearchSpace space() {
    return space;
  }

  private int initialPoints() {
    return options.initialPoints() > 0 ? options.initialPoints() : Math.max(5, space.size() + 1);
  }

  @Override
  public List<Suggestion> suggest(int count, List<Trial> history) {
    Observations obs = Observations.of(space, goal, history);
    List<double[]> pending = new ArrayList<>();
    for (double[] u : obs.activeUnit()) {
      pending.add(encoder.encode(u));
    }
    Model model = null;
    List<Suggestion> out = new ArrayList<>(count);
    for (int j = 0; j < count; j++) {
      long index = obs.nextIndex() + j;
      Rng rng = Rng.of(seed, 0x424FL, index);
      double[] unit;
      if (index < initialPoints() || obs.observedCount() < 2) {
        unit = initialPoint(index, obs, rng);
      } else {
        if (model == null) {
          model = model(obs, pending);
        }
        unit = encoder.unitOf(maximize(model, obs, rng));
      }
      Map<String, Object> point = space.fromUnit(unit);
      obs.take(space.canonical(point));
      out.add(new Suggestion(point));
      double[] features = encoder.encode(space.toUnit(point));
      if (model == null) {
        pending.add(features);
      } else {
        model.believe(features);
      }
    }
    return out;
  }

  private double[] initialPoint(long index, Observations obs, Rng rng) {
    return untaken(
        sobol != null ? sobol.point(index, shift) : rng.nextUnit(space.size()), obs, rng);
  }

  /**
   * {@code u}, or if a trial already has that point (a small discrete space repeats points soon), a
   * random point no trial has, when one turns up in a few tries.
   */
  private double[] untaken(double[] u, Observations obs, Rng rng) {
    for (int tries = 0; tries < 100 && obs.isTaken(space.canonical(space.fromUnit(u))); tries++) {
      u = rng.nextUnit(space.size());
    }
    return u;
  }

  /** The GP over the observations, with the pending points believed at their posterior mean. */
  private final class Model {
    final GaussianProcess gp;
    final double[][] x;
    final double[] y;
    final double incumbent;

    Model(double[][] x, double[] y, GpHyperparameters h) {
      this.x = x;
      this.y = y;
      this.gp = GaussianProcess.fit(x, y, h);
      this.incumbent = Arrays.stream(y).min().orElseThrow();
    }

    void believe(double[] features) {
      double[] mv = new double[2];
      gp.predict(features, mv);
      gp.add(features, mv[0]);
    }
  }

  private Model model(Observations obs, List<double[]> pending) {
    int n = obs.observedCount();
    double[][] x = new double[n][];
    for (int i = 0; i < n; i++) {
      x[i] = encoder.encode(obs.observedUnit(i));
    }
    double[] loss = obs.losses();
    Model m = new Model(x, warp.apply(loss), hyperparameters(x, loss));
    for (double[] p : pending) {
      m.believe(p);
    }
    return m;
  }

  /** Observations the hyperparameters are fitted on: all of them early, then a coarser schedule. */
  static int fitPoints(int n) {
    int step = Math.max(1, n / 20);
    return n - n % step;
  }

  private GpHyperparameters hyperparameters(double[][] x, double[] loss) {
    int[] subset = fitSubset(loss, fitPoints(x.length), MAX_FIT_POINTS);
    double[][] xs = new double[subset.length][];
    double[] ls = new double[subset.length];
    for (int i = 0; i < subset.length; i++) {
      xs[i] = x[subset[i]];
      ls[i] = loss[subset[i]];
    }
    double[] ys = warp.apply(ls);
    long key = fingerprint(xs, ys);
    synchronized (fits) {
      GpHyperparameters cached = fits.get(key);
      if (cached != null) {
        return cached;
      }
    }
    GpHyperparameters h = fitter.fit(xs, ys, Rng.of(seed, 0x464954L, subset.length));
    synchronized (fits) {
      fits.put(key, h);
    }
    return h;
  }

  /**
   * Which of the first {@code m} observations the hyperparameters are fitted on: all of them up to
   * {@code max}; beyond that the best half of {@code max} and the rest spread evenly over the
   * others, in index order.
   */
  static int[] fitSubset(double[] loss, int m, int max) {
    if (m <= max) {
      return IntStream.range(0, m).toArray();
    }
    Integer[] byLoss = new Integer[m];
    for (int i = 0; i < m; i++) {
      byLoss[i] = i;
    }
    Arrays.sort(byLoss, Comparator.comparingDouble(i -> loss[i]));
    boolean[] chosen = new boolean[m];
    int best = max / 2;
    for (int i = 0; i < best; i++) {
      chosen[byLoss[i]] = true;
    }
    int rest = max - best;
    int others = m - best;
    for (int k = 0, seen = 0, taken = 0; k < m && taken < rest; k++) {
      if (!chosen[k]) {
        // pick the others at evenly spaced ranks of their index order
        if ((long) seen * rest / others == taken) {
          chosen[k] = true;
          taken++;
        }
        seen++;
      }
    }
    return IntStream.range(0, m).filter(i -> chosen[i]).toArray();
  }

  private static long fingerprint(double[][] x, double[] y) {
    long h = Rng.mix(x.length);
    for (int i = 0; i < x.length; i++) {
      for (double v : x[i]) {
        h = Rng.mix(h ^ Double.doubleToLongBits(v));
      }
      h = Rng.mix(h ^ Double.doubleToLongBits(y[i]));
    }
    return h;
  }

  /** The feature vector with the largest EI whose point no trial has taken yet. */
  private double[] maximize(Model model, Observations obs, Rng rng) {
    LogExpectedImprovement ei = new LogExpectedImprovement(model.gp, model.incumbent);
    List<double[]> candidates = new ArrayList<>();
    for (int i = 0; i < options.randomCandidates(); i++) {
      candidates.add(encoder.random(rng));
    }
    Integer[] byValue = new Integer[model.y.length];
    for (int i = 0; i < byValue.length; i++) {
      byValue[i] = i;
    }
    Arrays.sort(byValue, Comparator.comparingDouble(i -> model.y[i]));
    int top = Math.min(5, byValue.length);
    double[] scales = {0.01, 0.05, 0.2};
    for (int c = 0; c < options.localCandidates(); c++) {
      double[] base = model.x[byValue[c % top]];
      candidates.add(encoder.perturb(base, scales[(c / top) % scales.length], 0.2, rng));
    }
    List<Scored> scored = new ArrayList<>();
    for (double[] c : candidates) {
      double[] s = encoder.snap(c);
      scored.add(new Scored(s, ei.value(s)));
    }
    scored.sort(Comparator.comparingDouble(Scored::score).reversed());
    int dims = encoder.dims();
    for (int r = 0; r < Math.min(options.refineStarts(), scored.size()); r++) {
      double[] start = scored.get(r).x;
      double[] lower = new double[dims];
      double[] upper = new double[dims];
      for (int d = 0; d < dims; d++) {
        lower[d] = encoder.isNumeric(d) ? 0 : start[d];
        upper[d] = encoder.isNumeric(d) ? 1 : start[d];
      }
      Lbfgs.Result res = Lbfgs.minimize(ei, start, lower, upper, 30, 1e-6);
      double[] s = encoder.snap(res.x());
      scored.add(new Scored(s, ei.value(s)));
    }
    scored.sort(Comparator.comparingDouble(Scored::score).reversed());
    for (Scored s : scored) {
      if (!obs.isTaken(space.canonical(space.fromUnit(encoder.unitOf(s.x))))) {
        return s.x;
      }
    }
    return encoder.encode(
        untaken(rng.nextUnit(space.size()), obs, rng)); // every candidate repeats a trial
  }

  private record Scored(double[] x, double score) {}
}
