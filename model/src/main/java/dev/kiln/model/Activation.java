package dev.kiln.model;

import java.util.Locale;

/** A dense layer's activation, as named in the {@code algorithm} spec. */
public enum Activation {
  RELU,
  TANH,
  SIGMOID,
  SOFTMAX,
  LINEAR;

  /** The spec's spelling: {@code relu}, {@code tanh}, ... */
  public String specName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses the spec's spelling; the message lists what is allowed. */
  public static Activation parse(String name) {
    for (Activation a : values()) {
      if (a.specName().equals(name)) {
        return a;
      }
    }
    throw new ModelConfigException(
        "unknown activation '" + name + "': expected relu, tanh, sigmoid, softmax or linear");
  }

  /** True when the activation applies to each value alone (all but softmax). */
  public boolean isElementwise() {
    return this != SOFTMAX;
  }

  /** The activation of one value; softmax is row-wise and not defined here. */
  public float apply(float x) {
    switch (this) {
      case RELU:
        return Math.max(x, 0f);
      case TANH:
        return tanh(x);
      case SIGMOID:
        return sigmoid(x);
      case LINEAR:
        return x;
      default:
        throw new IllegalStateException("softmax is row-wise");
    }
  }

  /** The derivative expressed through the activation's output y = f(x), elementwise ones only. */
  public float derivativeFromOutput(float y) {
    switch (this) {
      case RELU:
        return y > 0f ? 1f : 0f;
      case TANH:
        return 1f - y * y;
      case SIGMOID:
        return y * (1f - y);
      case LINEAR:
        return 1f;
      default:
        throw new IllegalStateException("softmax is row-wise");
    }
  }

  /**
   * tanh in double through {@link Math#exp} (an intrinsic, unlike {@link Math#tanh}, which costs
   * several times more per value), with a series near zero where the exp form cancels.
   */
  public static float tanh(float x) {
    double d = x;
    if (Math.abs(d) < 1e-2) {
      double d2 = d * d;
      return (float) (d * (1 - d2 / 3 + 2 * d2 * d2 / 15));
    }
    double e = Math.exp(2 * d);
    return (float) (1 - 2 / (e + 1));
  }

  /** The logistic function, written so that neither branch overflows. */
  public static float sigmoid(float x) {
    if (x >= 0f) {
      return (float) (1.0 / (1.0 + Math.exp(-x)));
    }
    double e = Math.exp(x);
    return (float) (e / (1.0 + e));
  }
}
