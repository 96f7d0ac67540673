package dev.kiln.api.validation;

import dev.kiln.api.spec.InferenceEndpointSpec;
import dev.kiln.api.spec.InferenceEndpointSpec.ModelSource;
import java.util.regex.Pattern;

/** Checks an InferenceEndpoint spec. */
final class EndpointValidator {
  private static final Pattern MODEL_URI = Pattern.compile("^(s3://|file:/).+");

  private EndpointValidator() {}

  static void validate(InferenceEndpointSpec spec, Checks c) {
    if (!c.required("", spec)) {
      return;
    }
    if (c.required("model", spec.model)) {
      model(spec.model, c.at("model"));
    }
    if (spec.replicas != null) {
      c.range("replicas.min", spec.replicas.min, 0, 1000);
      c.range("replicas.max", spec.replicas.max, 1, 1000);
      if (spec.replicas.min != null
          && spec.replicas.max != null
          && spec.replicas.min > spec.replicas.max) {
        c.fail("replicas.min", "must not exceed replicas.max (" + spec.replicas.max + ")");
      }
    }
    if (spec.autoscaling != null) {
      c.atLeast("autoscaling.targetInFlight", spec.autoscaling.targetInFlight, 1);
      c.atLeast("autoscaling.scaleDownDelaySeconds", spec.autoscaling.scaleDownDelaySeconds, 0);
    }
    if (spec.batching != null) {
      c.range("batching.maxBatchSize", spec.batching.maxBatchSize, 1, 4096);
      c.range("batching.maxDelayMicros", spec.batching.maxDelayMicros, 0, 10_000_000);
    }
    if (spec.canary != null) {
      Checks cc = c.at("canary");
      if (cc.required("model", spec.canary.model)) {
        model(spec.canary.model, cc.at("model"));
      }
      cc.range("trafficPercent", spec.canary.trafficPercent, 0, 100);
      cc.atLeast("bakeSeconds", spec.canary.bakeSeconds, 0);
      cc.range("maxErrorRateIncrease", spec.canary.maxErrorRateIncrease, 0, 1);
      cc.atLeast("maxP99Ratio", spec.canary.maxP99Ratio, 1);
    }
    TrainingJobValidator.resources(spec.resources, c.at("resources"));
  }

  private static void model(ModelSource m, Checks c) {
    if ((m.trainingJob == null) == (m.uri == null)) {
      c.fail("", "set exactly one of trainingJob or uri");
    }
    c.matches("trainingJob", m.trainingJob, Checks.DNS_LABEL, "a TrainingJob name");
    c.matches("uri", m.uri, MODEL_URI, "a model URI like s3://models/job/model/");
  }
}
