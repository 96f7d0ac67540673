package dev.kiln.api.validation;

import dev.kiln.api.Hyperparameters;
import dev.kiln.api.spec.Algorithm;
import dev.kiln.api.spec.Channel;
import dev.kiln.api.spec.Layer;
import dev.kiln.api.spec.MetricRule;
import dev.kiln.api.spec.OptimizerSpec;
import dev.kiln.api.spec.Resources;
import dev.kiln.api.spec.ScheduleSpec;
import dev.kiln.api.spec.TrainingJobSpec;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Checks a TrainingJob spec: what the CRD schema checks, and what it cannot. */
final class TrainingJobValidator {
  private static final Pattern CHANNEL_NAME = Pattern.compile("^[a-z0-9]([a-z0-9_-]{0,30})$");

  private TrainingJobValidator() {}

  static void validate(TrainingJobSpec spec, Checks c) {
    if (!c.required("", spec)) {
      return;
    }
    c.range("workers", spec.workers, 1, 4096);
    resources(spec.resources, c.at("resources"));
    if ((spec.algorithm == null) == (spec.container == null)) {
      c.fail("", "set exactly one of algorithm (the built-in trainer) or container");
    }
    if (spec.algorithm != null) {
      algorithm(spec.algorithm, c.at("algorithm"));
      hyperparameters(spec, c);
      if (spec.inputs == null || !spec.inputs.containsKey("train")) {
        c.fail("inputs.train", "is required by the built-in trainer");
      }
    }
    if (spec.container != null) {
      Checks cc = c.at("container");
      if (spec.container.image == null || spec.container.image.isBlank()) {
        cc.fail("image", "is required");
      }
    }
    inputs(spec.inputs, c);
    if (c.required("output", spec.output)) {
      c.required("output.uri", spec.output.uri);
      c.s3Uri("output.uri", spec.output.uri);
    }
    if (spec.checkpoint != null) {
      c.atLeast("checkpoint.everyEpochs", spec.checkpoint.everyEpochs, 1);
    }
    metrics(spec.metrics, c);
    c.range("maxRestarts", spec.maxRestarts, 0, 1000);
    c.atLeast("startupTimeoutSeconds", spec.startupTimeoutSeconds, 1);
    c.atLeast("activeDeadlineSeconds", spec.activeDeadlineSeconds, 1);
    c.atLeast("ttlSecondsAfterFinished", spec.ttlSecondsAfterFinished, 0);
    c.range("priority", spec.priority, -1_000_000, 1_000_000);
    c.matches("queue", spec.queue, Checks.DNS_LABEL, "a queue name (lower-case DNS label)");
  }

  static void resources(Resources r, Checks c) {
    if (r == null) {
      return;
    }
    c.quantity("cpu", r.cpu, true);
    c.quantity("memory", r.memory, true);
    c.atLeast("gpu", r.gpu, 0);
  }

  private static void algorithm(Algorithm a, Checks c) {
    c.range("epochs", a.epochs, 1, 100_000);
    c.range("batchSize", a.batchSize, 1, 1_048_576);
    c.required("loss", a.loss);
    if (c.required("model", a.model) && c.required("model.layers", a.model.layers)) {
      layers(a.model.layers, a.loss, c.at("model.layers"));
    }
    optimizer(a.optimizer, c.at("optimizer"));
    schedule(a.schedule, c.at("schedule"));
  }

  private static void layers(List<Layer> layers, Algorithm.Loss loss, Checks c) {
    if (layers.isEmpty()) {
      c.fail("", "needs at least one dense layer");
      return;
    }
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      String at = Integer.toString(i);
      if (layer == null || (layer.dense == null) == (layer.dropout == null)) {
        c.fail(at, "a layer is either {dense: UNITS, activation: A} or {dropout: RATE}");
        continue;
      }
      if (layer.dense != null) {
        c.range(at + ".dense", layer.dense, 1, 65536);
        boolean lastLayer = i == layers.size() - 1;
        if (layer.activation == Layer.Activation.SOFTMAX && !lastLayer) {
          c.fail(at + ".activation", "softmax is only allowed on the last layer");
        }
      } else {
        if (layer.activation != null) {
          c.fail(at + ".activation", "activation belongs to a dense layer");
        }
        if (layer.dropout < 0 || layer.dropout >= 1) {
          c.fail(at + ".dropout", "must be in [0, 1), found " + layer.dropout);
        }
      }
    }
    Layer last = layers.get(layers.size() - 1);
    if (last == null || last.dense == null) {
      c.fail(Integer.toString(layers.size() - 1), "the last layer must be dense (the output)");
      return;
    }
    lossFitsOutput(loss, last, c.at(Integer.toString(layers.size() - 1)));
  }

  private static void lossFitsOutput(Algorithm.Loss loss, Layer out, Checks c) {
    if (loss == null) {
      return;
    }
    Layer.Activation act = out.activationOrLinear();
    switch (loss) {
      case CROSS_ENTROPY -> {
        if (act != Layer.Activation.SOFTMAX) {
          c.fail("activation", "cross_entropy needs a softmax output layer");
        }
        if (out.dense < 2) {
          c.fail("dense", "cross_entropy needs at least 2 output units (one per class)");
        }
      }
      case BINARY_CROSS_ENTROPY -> {
        if (act != Layer.Activation.SIGMOID) {
          c.fail("activation", "binary_cross_entropy needs a sigmoid output layer");
        }
      }
      case MSE -> {
        if (act == Layer.Activation.SOFTMAX) {
          c.fail("activation", "mse is for regression; use cross_entropy with softmax");
        }
      }
    }
  }

  private static void optimizer(OptimizerSpec o, Checks c) {
    if (o == null) {
      return;
    }
    if (o.learningRate != null && !(o.learningRate > 0 && o.learningRate <= 10)) {
      c.fail("learningRate", "must be greater than 0 and at most 10, found " + o.learningRate);
    }
    if (o.momentum != null && !(o.momentum >= 0 && o.momentum < 1)) {
      c.fail("momentum", "must be in [0, 1), found " + o.momentum);
    }
    c.atLeast("weightDecay", o.weightDecay, 0);
    if (Boolean.TRUE.equals(o.nesterov) && o.type == OptimizerSpec.Type.ADAM) {
      c.fail("nesterov", "applies to sgd only");
    }
  }

  private static void schedule(ScheduleSpec s, Checks c) {
    if (s == null) {
      return;
    }
    if (s.type == ScheduleSpec.Type.STEP && s.stepEpochs == null) {
      c.fail("stepEpochs", "is required by schedule type step");
    }
    c.atLeast("stepEpochs", s.stepEpochs, 1);
    if (s.gamma != null && !(s.gamma > 0 && s.gamma <= 1)) {
      c.fail("gamma", "must be in (0, 1], found " + s.gamma);
    }
  }

  private static void hyperparameters(TrainingJobSpec spec, Checks c) {
    if (spec.hyperparameters == null) {
      return;
    }
    for (Map.Entry<String, String> e : spec.hyperparameters.entrySet()) {
      Hyperparameters.problem(spec.algorithm, e.getKey(), String.valueOf(e.getValue()))
          .ifPresent(p -> c.fail("hyperparameters." + e.getKey(), p));
    }
    if (c.violations().isEmpty()) {
      try {
        Checks merged = new Checks();
        algorithm(Hyperparameters.merge(spec).algorithm, merged);
        merged.violations().forEach(v -> c.fail("hyperparameters", "give " + v));
      } catch (IllegalArgumentException e) {
        c.fail("hyperparameters", e.getMessage());
      }
    }
  }

  private static void inputs(Map<String, Channel> inputs, Checks c) {
    if (inputs == null) {
      return;
    }
    inputs.forEach(
        (name, channel) -> {
          String at = "inputs." + name;
          c.matches(at, name, CHANNEL_NAME, "a channel name (lower-case letters, digits, - or _)");
          if (c.required(at, channel) && c.required(at + ".uri", channel.uri)) {
            c.s3Uri(at + ".uri", channel.uri);
          }
        });
  }

  private static void metrics(List<MetricRule> metrics, Checks c) {
    if (metrics == null) {
      return;
    }
    for (int i = 0; i < metrics.size(); i++) {
      MetricRule m = metrics.get(i);
      String at = "metrics." + i;
      if (m == null) {
        c.fail(at, "is empty");
        continue;
      }
      if (c.required(at + ".name", m.name)) {
        c.matches(at + ".name", m.name, Checks.IDENTIFIER, "a metric name like val_accuracy");
      }
      if (c.required(at + ".regex", m.regex)) {
        try {
          if (Pattern.compile(m.regex).matcher("").groupCount() < 1) {
            c.fail(at + ".regex", "needs one capture group around the value, e.g. loss=([0-9.]+)");
          }
        } catch (PatternSyntaxException e) {
          c.fail(at + ".regex", "is not a valid regular expression: " + e.getDescription());
        }
      }
    }
  }
}
