package dev.kiln.cli.train;

import dev.kiln.api.TrainingJob;
import dev.kiln.api.status.Phase;
import dev.kiln.api.status.TrainingJobStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The live line of a job: phase, attempt, epoch, loss, its headline metric and an ETA. On a
 * terminal the line is rewritten in place; otherwise a plain line is printed each time it says
 * something new (the ETA alone does not count).
 */
public final class JobProgress {
  private static final List<String> METRICS = List.of("val_accuracy", "accuracy", "val_loss");

  private final PrintWriter out;
  private final boolean terminal;
  private String lastPlain;
  private int lastWidth;

  public JobProgress(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** Whether this process writes to a terminal. */
  public static boolean stdoutIsTerminal() {
    return System.console() != null;
  }

  /** Shows the job's state now. */
  public void show(TrainingJob job, Instant now) {
    String plain = line(job, null);
    if (terminal) {
      String line = line(job, now);
      out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
      lastWidth = line.length();
      out.flush();
    } else if (!plain.equals(lastPlain)) {
      out.println(line(job, now));
      out.flush();
    }
    lastPlain = plain;
  }

  /** Ends the live line, so what follows starts on a fresh one. */
  public void finish() {
    if (terminal && lastWidth > 0) {
      out.println();
      out.flush();
      lastWidth = 0;
    }
  }

  /** The line for a job; with {@code now}, an ETA when it can be told. */
  static String line(TrainingJob job, Instant now) {
    TrainingJobStatus s = job.getStatus();
    StringBuilder b = new StringBuilder(job.getMetadata().getName());
    if (s == null || s.phase == null) {
      return b.append("  Pending").toString();
    }
    b.append("  ").append(s.phase.display());
    if (s.attempt != null && s.attempt > 1) {
      b.append("  attempt ").append(s.attempt);
    }
    if (s.phase == Phase.QUEUED && s.queuePosition != null) {
      b.append("  position ").append(s.queuePosition);
    }
    if (s.workers != null && s.phase == Phase.PENDING) {
      b.append("  ranks ").append(s.workers.ready).append('/').append(s.workers.total);
    }
    Map<String, Double> latest = s.metrics == null ? null : s.metrics.latest;
    Integer epochs =
        job.getSpec() != null && job.getSpec().algorithm != null
            ? job.getSpec().algorithm.epochs
            : null;
    if (latest != null && latest.containsKey("epoch")) {
      int epoch = latest.get("epoch").intValue();
      b.append("  epoch ").append(epoch);
      if (epochs != null) {
        b.append('/').append(epochs);
      }
      if (latest.containsKey("loss")) {
        b.append("  loss ").append(format(latest.get("loss")));
      }
      METRICS.stream()
          .filter(latest::containsKey)
          .findFirst()
          .ifPresent(m -> b.append("  ").append(m).append(' ').append(format(latest.get(m))));
      if (now != null && s.phase == Phase.RUNNING && epochs != null) {
        eta(s, epoch, epochs, now).ifPresent(eta -> b.append("  ETA ").append(eta));
      }
    }
    return b.toString();
  }

  private static java.util.Optional<String> eta(
      TrainingJobStatus s, int epoch, int epochs, Instant now) {
    if (s.startTime == null || epoch <= 0 || epoch >= epochs) {
      return java.util.Optional.empty();
    }
    Duration elapsed = Duration.between(Instant.parse(s.startTime), now);
    Duration left = elapsed.dividedBy(epoch).multipliedBy(epochs - epoch);
    long sec = Math.max(0, left.toSeconds());
    return java.util.Optional.of(String.format(Locale.ROOT, "%d:%02d", sec / 60, sec % 60));
  }

  static String format(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
