package dev.kiln.controlplane.endpoint;

import dev.kiln.api.spec.InferenceEndpointSpec;
import dev.kiln.controlplane.endpoint.EndpointObserved.Stats;
import java.util.Locale;
import java.util.Optional;

/**
 * Compares a canary with the stable version on what the router measured: worse error rate by more
 * than {@code maxErrorRateIncrease}, or a p99 above {@code maxP99Ratio} times stable's, is a
 * verdict once each side has enough requests to mean something.
 */
final class CanaryJudge {
  /** Requests each side needs before the judge compares them. */
  static final long MIN_REQUESTS = 20;

  private CanaryJudge() {}

  /** Why the canary must be rolled back. */
  record Verdict(EndpointReason reason, String message) {}

  static Optional<Verdict> judge(Stats stable, Stats canary, InferenceEndpointSpec.Canary spec) {
    if (canary == null || canary.requests() < MIN_REQUESTS) {
      return Optional.empty();
    }
    Stats base = stable == null ? new Stats(0, 0, 0) : stable;
    double increase = canary.errorRate() - base.errorRate();
    if (increase > spec.maxErrorRateIncrease) {
      return Optional.of(
          new Verdict(
              EndpointReason.CanaryErrorRate,
              String.format(
                  Locale.ROOT,
                  "canary error rate %.4f (%d/%d) exceeds stable's %.4f by more than %.4f",
                  canary.errorRate(),
                  canary.errors(),
                  canary.requests(),
                  base.errorRate(),
                  spec.maxErrorRateIncrease)));
    }
    if (base.requests() >= MIN_REQUESTS
        && base.p99Millis() > 0
        && canary.p99Millis() > base.p99Millis() * spec.maxP99Ratio) {
      return Optional.of(
          new Verdict(
              EndpointReason.CanaryLatency,
              String.format(
                  Locale.ROOT,
                  "canary p99 %.2f ms is more than %.2f x stable's %.2f ms",
                  canary.p99Millis(),
                  spec.maxP99Ratio,
                  base.p99Millis())));
    }
    return Optional.empty();
  }
}
