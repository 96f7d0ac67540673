package dev.kiln.controlplane.tuning;

import dev.kiln.api.Manifests;
import dev.kiln.api.TuningJob;
import dev.kiln.api.spec.TuningJobSpec;
import dev.kiln.api.validation.SpecValidator;
import dev.kiln.api.validation.Violation;
import dev.kiln.tuner.Goal;
import dev.kiln.tuner.SearchSpace;
import dev.kiln.tuner.SearchStrategy;
import dev.kiln.tuner.Strategies;
import dev.kiln.tuner.stopping.EarlyStopping;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tuner objects of a sweep, built from its spec alone (so a restarted control plane builds the
 * same ones): search space, strategy, early-stopping rule and the full epoch budget.
 *
 * @param maxEpochs the template's {@code algorithm.epochs}; containers count no epochs
 */
public record SweepSetup(
    TuningJobSpec spec,
    SearchSpace space,
    Goal goal,
    SearchStrategy strategy,
    EarlyStopping stopping,
    int maxEpochs) {

  /** Epoch budget assumed for container trials, which report epochs but declare none. */
  static final int CONTAINER_EPOCHS = 1_000_000;

  static final long DEFAULT_SEED = 1;

  /**
   * Builds the setup.
   *
   * @throws IllegalArgumentException saying what is wrong with the spec and how to fix it
   */
  public static SweepSetup of(TuningJob sweep) {
    List<Violation> violations = SpecValidator.validate(sweep);
    if (!violations.isEmpty()) {
      throw new IllegalArgumentException(SpecValidator.describe(violations));
    }
    TuningJobSpec spec = sweep.getSpec();
    List<Map<String, Object>> entries = new ArrayList<>();
    for (TuningJobSpec.Parameter p : spec.parameters) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = Manifests.json().convertValue(p, Map.class);
      entries.add(m);
    }
    SearchSpace space = SearchSpace.fromMaps(entries);
    Goal goal = spec.objective.goal == TuningJobSpec.Goal.MINIMIZE ? Goal.MINIMIZE : Goal.MAXIMIZE;
    TuningJobSpec.Strategy strategy =
        spec.strategy == null ? new TuningJobSpec.Strategy() : spec.strategy;
    String type = wire(strategy.type == null ? TuningJobSpec.StrategyType.BAYESIAN : strategy.type);
    long seed = strategy.seed == null ? DEFAULT_SEED : strategy.seed;
    int maxTrials = spec.maxTrials == null ? 16 : spec.maxTrials;
    SearchStrategy search = Strategies.create(type, space, goal, seed, maxTrials);
    var template = spec.trialTemplate.spec;
    boolean builtIn = template.algorithm != null;
    TuningJobSpec.EarlyStopping es =
        spec.earlyStopping == null ? new TuningJobSpec.EarlyStopping() : spec.earlyStopping;
    String esType = wire(es.type == null ? TuningJobSpec.EarlyStoppingType.NONE : es.type);
    if (!builtIn && (esType.equals("asha") || esType.equals("hyperband"))) {
      throw new IllegalArgumentException(
          "earlyStopping."
              + esType
              + " resumes trials by raising algorithm.epochs, which container trials lack;"
              + " use earlyStopping.type median or none");
    }
    int maxEpochs =
        !builtIn
            ? CONTAINER_EPOCHS
            : template.algorithm.epochs == null ? 10 : template.algorithm.epochs;
    int minEpochs =
        es.minEpochs == null ? EarlyStopping.DEFAULT_MIN_EPOCHS : Math.min(es.minEpochs, maxEpochs);
    int eta =
        es.reductionFactor == null ? EarlyStopping.DEFAULT_REDUCTION_FACTOR : es.reductionFactor;
    EarlyStopping stopping = EarlyStopping.create(esType, goal, minEpochs, eta, maxEpochs);
    return new SweepSetup(spec, space, goal, search, stopping, maxEpochs);
  }

  private static String wire(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  public String metric() {
    return spec.objective.metric;
  }

  public int maxTrials() {
    return spec.maxTrials == null ? 16 : spec.maxTrials;
  }

  public int parallelTrials() {
    return spec.parallelTrials == null ? 1 : spec.parallelTrials;
  }

  /** How many failed trials end the sweep: at least one. */
  public int maxFailedTrials() {
    return Math.max(1, spec.maxFailedTrials == null ? 3 : spec.maxFailedTrials);
  }
}
