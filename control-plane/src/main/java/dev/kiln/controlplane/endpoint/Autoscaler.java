package dev.kiln.controlplane.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Replicas from the replicas' own in-flight requests: {@code ceil(inFlight / targetInFlight)}
 * within [min, max]. Up at once; down only after the load stayed low for the scale-down delay, so a
 * short lull does not cost the replicas a burst needs.
 */
final class Autoscaler {
  private Autoscaler() {}

  /**
   * A recommendation.
   *
   * @param lowSince since when the load has wanted fewer replicas (null: it does not)
   * @param reason why it changed, when it did
   */
  record Result(int replicas, Instant lowSince, String reason) {}

  static Result decide(
      int current,
      int inFlight,
      int targetInFlight,
      int min,
      int max,
      Instant lowSince,
      Duration scaleDownDelay,
      Instant now) {
    int floor = Math.max(1, min);
    int wanted = (int) Math.ceil(inFlight / (double) Math.max(1, targetInFlight));
    wanted = Math.max(floor, Math.min(max, wanted));
    if (current < floor || current > max) {
      int to = Math.max(floor, Math.min(max, current));
      return new Result(to, null, "replicas " + current + " outside [" + floor + ", " + max + "]");
    }
    if (wanted > current) {
      return new Result(
          wanted,
          null,
          String.format(
              Locale.ROOT,
              "in-flight %d > target %d x %d replica(s)",
              inFlight,
              targetInFlight,
              current));
    }
    if (wanted == current) {
      return new Result(current, null, null);
    }
    Instant since = lowSince == null ? now : lowSince;
    if (Duration.between(since, now).compareTo(scaleDownDelay) >= 0) {
      return new Result(
          wanted,
          null,
          String.format(
              Locale.ROOT,
              "in-flight %d needs %d replica(s) at target %d, for %ds",
              inFlight,
              wanted,
              targetInFlight,
              scaleDownDelay.toSeconds()));
    }
    return new Result(current, since, null);
  }
}
