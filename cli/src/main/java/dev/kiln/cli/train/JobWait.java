package dev.kiln.cli.train;

import dev.kiln.api.Conditions;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.status.Phase;
import dev.kiln.cli.KilnException;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/** Follows a job until it reaches a phase, showing its progress line meanwhile. */
public final class JobWait {
  static final Duration POLL = Duration.ofMillis(500);

  private JobWait() {}

  /** Until the job succeeds or fails; returns it as it ended. */
  public static TrainingJob untilFinished(
      JobBackend jobs, String namespace, String name, JobProgress progress) {
    return until(
        jobs,
        namespace,
        name,
        progress,
        j ->
            j.getStatus() != null
                && j.getStatus().phase != null
                && j.getStatus().phase.isTerminal());
  }

  /** Until {@code done} holds for the job. */
  public static TrainingJob until(
      JobBackend jobs,
      String namespace,
      String name,
      JobProgress progress,
      Predicate<TrainingJob> done) {
    Clock clock = Clock.systemUTC();
    try {
      while (true) {
        TrainingJob job =
            jobs.get(namespace, name)
                .orElseThrow(
                    () ->
                        KilnException.failed(
                            "TrainingJob " + namespace + "/" + name + " was deleted", null));
        progress.show(job, clock.instant());
        if (done.test(job)) {
          return job;
        }
        Thread.sleep(POLL.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KilnException.failed("interrupted", null);
    } finally {
      progress.finish();
    }
  }

  /** Until the job is gone (deleted with its ranks). */
  public static void untilGone(JobBackend jobs, String namespace, String name) {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (jobs.get(namespace, name).isPresent()) {
      if (System.nanoTime() > deadline) {
        throw KilnException.failed(
            "TrainingJob " + namespace + "/" + name + " is still there 2 minutes after deletion",
            null);
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw KilnException.failed("interrupted", null);
      }
    }
  }

  /** Why a failed job failed: its Degraded condition's reason and message. */
  public static String failure(TrainingJob job) {
    Optional<Condition> degraded =
        job.getStatus() == null
            ? Optional.empty()
            : Conditions.find(job.getStatus().conditions, Conditions.DEGRADED);
    return degraded.map(c -> c.getReason() + ": " + c.getMessage()).orElse("no reason recorded");
  }

  static boolean succeeded(TrainingJob job) {
    return job.getStatus() != null && job.getStatus().phase == Phase.SUCCEEDED;
  }
}
