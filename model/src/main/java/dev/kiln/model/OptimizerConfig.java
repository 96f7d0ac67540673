package dev.kiln.model;

import java.util.Locale;

/**
 * {@code algorithm.optimizer}: {@code sgd} (momentum, nesterov, L2 weight decay as PyTorch) or
 * {@code adam} (beta1, beta2, epsilon; decoupled weight decay as AdamW). {@code momentum} and
 * {@code nesterov} only apply to sgd.
 */
public record OptimizerConfig(
    Type type,
    float learningRate,
    float momentum,
    boolean nesterov,
    float weightDecay,
    float beta1,
    float beta2,
    float epsilon) {

  /** Optimizer kinds. */
  public enum Type {
    SGD,
    ADAM;

    /** The spec's spelling. */
    public String specName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the spec's spelling. */
    public static Type parse(String s) {
      for (Type t : values()) {
        if (t.specName().equals(s)) {
          return t;
        }
      }
      throw new ModelConfigException("unknown optimizer.type '" + s + "': expected sgd or adam");
    }
  }

  /** Checks every field's range. */
  public OptimizerConfig {
    if (type == null) {
      throw new ModelConfigException("optimizer.type must be set");
    }
    if (!(learningRate > 0f) || Float.isInfinite(learningRate)) {
      throw new ModelConfigException(
          "optimizer.learningRate must be a positive number, got " + learningRate);
    }
    if (!(momentum >= 0f && momentum < 1f)) {
      throw new ModelConfigException("optimizer.momentum must be in [0, 1), got " + momentum);
    }
    if (nesterov && type == Type.SGD && momentum == 0f) {
      throw new ModelConfigException("optimizer.nesterov needs a momentum above 0");
    }
    if (!(weightDecay >= 0f) || Float.isInfinite(weightDecay)) {
      throw new ModelConfigException("optimizer.weightDecay must be >= 0, got " + weightDecay);
    }
    if (!(beta1 >= 0f && beta1 < 1f)) {
      throw new ModelConfigException("optimizer.beta1 must be in [0, 1), got " + beta1);
    }
    if (!(beta2 >= 0f && beta2 < 1f)) {
      throw new ModelConfigException("optimizer.beta2 must be in [0, 1), got " + beta2);
    }
    if (!(epsilon > 0f)) {
      throw new ModelConfigException("optimizer.epsilon must be > 0, got " + epsilon);
    }
  }

  /** Plain SGD with momentum, as the benchmark and PyTorch's peer use it. */
  public static OptimizerConfig sgd(float learningRate, float momentum) {
    return new OptimizerConfig(Type.SGD, learningRate, momentum, false, 0f, 0.9f, 0.999f, 1e-8f);
  }

  /** Adam with the usual betas and epsilon. */
  public static OptimizerConfig adam(float learningRate) {
    return new OptimizerConfig(Type.ADAM, learningRate, 0f, false, 0f, 0.9f, 0.999f, 1e-8f);
  }
}
