package dev.kiln.scheduler.core;

import java.util.Objects;

/**
 * A {@code Queue}: the most its admitted gangs may hold at once, and its weight in fair share.
 *
 * @param weight a queue with twice the weight gets twice the dominant share when both compete
 */
public record QueueSpec(String name, Resources quota, double weight) {

  public QueueSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(quota, "quota");
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("weight of queue " + name + " must be > 0: " + weight);
    }
  }
}
