package dev.kiln.api.validation;

import dev.kiln.api.Hyperparameters;
import dev.kiln.api.spec.TuningJobSpec;
import dev.kiln.api.spec.TuningJobSpec.Parameter;
import dev.kiln.api.spec.TuningJobSpec.ParameterType;
import dev.kiln.api.spec.TuningJobSpec.Scale;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks a TuningJob spec, including that each parameter applies to the trial template. */
final class TuningJobValidator {
  private TuningJobValidator() {}

  static void validate(TuningJobSpec spec, Checks c) {
    if (!c.required("", spec)) {
      return;
    }
    if (c.required("objective", spec.objective)
        && c.required("objective.metric", spec.objective.metric)) {
      c.matches(
          "objective.metric",
          spec.objective.metric,
          Checks.IDENTIFIER,
          "a metric name like val_accuracy");
    }
    c.range("maxTrials", spec.maxTrials, 1, 10_000);
    c.range("parallelTrials", spec.parallelTrials, 1, 1000);
    c.atLeast("maxFailedTrials", spec.maxFailedTrials, 0);
    if (spec.maxTrials != null
        && spec.parallelTrials != null
        && spec.parallelTrials > spec.maxTrials) {
      c.fail("parallelTrials", "must not exceed maxTrials (" + spec.maxTrials + ")");
    }
    if (spec.earlyStopping != null) {
      c.atLeast("earlyStopping.minEpochs", spec.earlyStopping.minEpochs, 1);
      c.atLeast("earlyStopping.reductionFactor", spec.earlyStopping.reductionFactor, 2);
    }
    boolean templateOk =
        c.required("trialTemplate", spec.trialTemplate)
            && c.required("trialTemplate.spec", spec.trialTemplate.spec);
    if (templateOk) {
      TrainingJobValidator.validate(spec.trialTemplate.spec, c.at("trialTemplate.spec"));
    }
    if (c.required("parameters", spec.parameters)) {
      parameters(spec, templateOk, c);
    }
  }

  private static void parameters(TuningJobSpec spec, boolean templateOk, Checks c) {
    List<Parameter> parameters = spec.parameters;
    if (parameters.isEmpty() || parameters.size() > 64) {
      c.fail("parameters", "needs 1 to 64 parameters, found " + parameters.size());
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < parameters.size(); i++) {
      Parameter p = parameters.get(i);
      Checks pc = c.at("parameters." + i);
      if (p == null || !pc.required("name", p.name) || !pc.required("type", p.type)) {
        continue;
      }
      if (!names.add(p.name)) {
        pc.fail("name", "'" + p.name + "' appears twice");
      }
      range(p, pc);
      if (templateOk && spec.trialTemplate.spec.algorithm != null) {
        String sample =
            p.type == ParameterType.CATEGORICAL
                ? (p.values == null || p.values.isEmpty() ? "" : p.values.get(0))
                : sampleNumber(p);
        Hyperparameters.problem(spec.trialTemplate.spec.algorithm, p.name, sample)
            .ifPresent(problem -> pc.fail("name", problem));
      }
    }
  }

  private static void range(Parameter p, Checks pc) {
    if (p.type == ParameterType.CATEGORICAL) {
      if (p.values == null || p.values.isEmpty()) {
        pc.fail("values", "a categorical parameter needs values");
      } else if (new HashSet<>(p.values).size() != p.values.size()) {
        pc.fail("values", "has duplicates");
      }
      return;
    }
    if (!pc.required("min", p.min) | !pc.required("max", p.max)) {
      return;
    }
    if (!(p.min < p.max)) {
      pc.fail("min", "must be less than max (" + p.max + "), found " + p.min);
    }
    if (p.scale == Scale.LOG && p.min <= 0) {
      pc.fail("min", "a log-scale parameter needs min > 0, found " + p.min);
    }
    if (p.type == ParameterType.INT && (p.min != Math.rint(p.min) || p.max != Math.rint(p.max))) {
      pc.fail("min", "an int parameter needs whole-number min and max");
    }
    if (p.values != null) {
      pc.fail("values", "only categorical parameters take values");
    }
  }

  private static String sampleNumber(Parameter p) {
    double v = p.min == null ? 1 : p.min;
    return p.type == ParameterType.INT ? Long.toString((long) v) : Double.toString(v);
  }
}
