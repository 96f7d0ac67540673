package dev.kiln.model;

import java.util.Locale;

/**
 * {@code algorithm.schedule}: {@code constant}; {@code step} (multiply by {@code gamma} every
 * {@code stepEpochs}); {@code cosine} (from the base rate down to {@code minLearningRate} over all
 * steps of training).
 */
public record ScheduleConfig(Type type, int stepEpochs, float gamma, float minLearningRate) {

  /** Schedule kinds. */
  public enum Type {
    CONSTANT,
    STEP,
    COSINE;

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
      throw new ModelConfigException(
          "unknown schedule.type '" + s + "': expected constant, step or cosine");
    }
  }

  /** Checks every field's range. */
  public ScheduleConfig {
    if (type == null) {
      throw new ModelConfigException("schedule.type must be set");
    }
    if (stepEpochs < 1) {
      throw new ModelConfigException("schedule.stepEpochs must be at least 1, got " + stepEpochs);
    }
    if (!(gamma > 0f) || Float.isInfinite(gamma)) {
      throw new ModelConfigException("schedule.gamma must be > 0, got " + gamma);
    }
    if (!(minLearningRate >= 0f)) {
      throw new ModelConfigException(
          "schedule.minLearningRate must be >= 0, got " + minLearningRate);
    }
  }

  /** A constant learning rate. */
  public static ScheduleConfig constant() {
    return new ScheduleConfig(Type.CONSTANT, 1, 1f, 0f);
  }
}
