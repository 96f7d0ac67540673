package dev.kiln.model;

/** The learning rate at a point of training, from {@code algorithm.schedule}. */
public final class LearningRateSchedule {
  private final ScheduleConfig config;
  private final float base;
  private final int epochs;

  /** A schedule starting at {@code base} over {@code epochs} epochs. */
  public LearningRateSchedule(ScheduleConfig config, float base, int epochs) {
    this.config = config;
    this.base = base;
    this.epochs = epochs;
  }

  /** The schedule of a model config (its optimizer's learning rate and its epochs). */
  public static LearningRateSchedule of(ModelConfig config) {
    return new LearningRateSchedule(
        config.schedule(), config.optimizer().learningRate(), config.epochs());
  }

  /**
   * The rate for step {@code stepInEpoch} (0-based) of {@code epoch} (0-based), with {@code
   * stepsPerEpoch} steps per epoch. Cosine decays per step, from the base rate at the first step
   * towards {@code minLearningRate} at the end of the last epoch.
   */
  public float at(int epoch, int stepInEpoch, int stepsPerEpoch) {
    switch (config.type()) {
      case STEP:
        return (float) (base * Math.pow(config.gamma(), epoch / config.stepEpochs()));
      case COSINE:
        double progress =
            (epoch + (double) stepInEpoch / Math.max(1, stepsPerEpoch)) / Math.max(1, epochs);
        progress = Math.min(1.0, Math.max(0.0, progress));
        double min = config.minLearningRate();
        return (float) (min + (base - min) * 0.5 * (1 + Math.cos(Math.PI * progress)));
      default:
        return base;
    }
  }
}
