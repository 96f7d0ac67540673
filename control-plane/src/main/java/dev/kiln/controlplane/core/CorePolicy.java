package dev.kiln.controlplane.core;

import java.time.Duration;

/**
 * Tunables of the reconcile core.
 *
 * @param restartBackoff the wait before the first restart; doubled per restart
 * @param maxRestartBackoff the longest wait before a restart
 * @param poll how soon to look again while waiting on something without an event (ranks
 *     terminating)
 * @param logMetrics how often a running container job's log is read for its metrics
 */
public record CorePolicy(
    Duration restartBackoff, Duration maxRestartBackoff, Duration poll, Duration logMetrics) {
  public static final CorePolicy DEFAULT =
      new CorePolicy(
          Duration.ofSeconds(10),
          Duration.ofMinutes(5),
          Duration.ofSeconds(5),
          Duration.ofSeconds(30));

  /** The wait before restart number {@code restart} (1-based). */
  public Duration backoff(int restart) {
    Duration d = restartBackoff;
    for (int i = 1; i < restart && d.compareTo(maxRestartBackoff) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(maxRestartBackoff) > 0 ? maxRestartBackoff : d;
  }
}
