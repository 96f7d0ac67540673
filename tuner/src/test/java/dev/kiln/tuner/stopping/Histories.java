package dev.kiln.tuner.stopping;

import dev.kiln.tuner.MetricPoint;
import dev.kiln.tuner.Trial;
import dev.kiln.tuner.TrialState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builders for scripted trial histories. */
final class Histories {
  private Histories() {}

  /** A trial whose epoch e (from 1) reported {@code values[e - 1]}. */
  static Trial trial(int index, TrialState state, double... values) {
    List<MetricPoint> h = new ArrayList<>();
    for (int e = 0; e < values.length; e++) {
      h.add(new MetricPoint(e + 1, values[e]));
    }
    return Trial.of(index, Map.of("x", (double) index), state, h);
  }

  /** A trial that reports {@code value} at every epoch up to {@code epochs}. */
  static Trial flat(int index, TrialState state, int epochs, double value) {
    double[] v = new double[epochs];
    java.util.Arrays.fill(v, value);
    return trial(index, state, v);
  }
}
