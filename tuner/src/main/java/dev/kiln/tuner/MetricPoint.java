package dev.kiln.tuner;

/** The objective metric a trial reported at the end of an epoch (epochs count from 1). */
public record MetricPoint(int epoch, double value) {
  public MetricPoint {
    if (epoch < 1) {
      throw new IllegalArgumentException("epochs count from 1, got " + epoch);
    }
  }
}
