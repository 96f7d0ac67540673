package dev.kiln.tuner;

import java.util.Locale;

/**
 * Whether the objective is maximized or minimized. This is the only place that knows the direction:
 * everything inside the tuner works on a loss, lower is better.
 */
public enum Goal {
  MINIMIZE,
  MAXIMIZE;

  /** Parses {@code minimize} or {@code maximize} (any case). */
  public static Goal parse(String text) {
    if (text != null) {
      switch (text.trim().toLowerCase(Locale.ROOT)) {
        case "minimize":
          return MINIMIZE;
        case "maximize":
          return MAXIMIZE;
        default:
          break;
      }
    }
    throw new IllegalArgumentException(
        "objective goal must be 'minimize' or 'maximize', got '" + text + "'");
  }

  /** The loss of an objective value: lower is better whatever the goal. */
  public double toLoss(double value) {
    return this == MAXIMIZE ? -value : value;
  }

  /** Whether objective value {@code a} is strictly better than {@code b}. */
  public boolean isBetter(double a, double b) {
    return toLoss(a) < toLoss(b);
  }

  /** The name used in specs: {@code minimize} or {@code maximize}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
