package dev.kiln.cli.sweep;

import dev.kiln.api.TrainingJob;
import dev.kiln.api.TuningJob;
import dev.kiln.api.status.Phase;
import dev.kiln.cli.KilnException;
import dev.kiln.cli.train.Tables;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows a sweep until it ends. On a terminal: a live view redrawn in place (a progress bar of
 * trials, a table of the running trials with their latest metric, the best so far). On a pipe:
 * plain lines, one each time a trial or the sweep says something new.
 */
public final class SweepWatch {
  static final Duration POLL = Duration.ofMillis(500);
  private static final int BAR = 30;

  private final PrintWriter out;
  private final boolean terminal;
  private final Map<String, String> lastTrialLine = new HashMap<>();
  private String lastSummary;
  private int drawnLines;

  public SweepWatch(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** Until the sweep succeeds or fails; returns it as it ended. */
  public TuningJob untilFinished(SweepBackend backend, String namespace, String name) {
    try {
      while (true) {
        TuningJob sweep =
            backend
                .get(namespace, name)
                .orElseThrow(
                    () ->
                        KilnException.failed(
                            "TuningJob " + namespace + "/" + name + " was deleted", null));
        show(sweep, backend.trials(namespace, name));
        if (SweepText.finished(sweep)) {
          return sweep;
        }
        Thread.sleep(POLL.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KilnException.failed("interrupted", null);
    }
  }

  /** Shows the sweep and its trials now. */
  public void show(TuningJob sweep, List<TrainingJob> trials) {
    if (terminal) {
      redraw(render(sweep, trials));
    } else {
      plain(sweep, trials);
    }
    out.flush();
  }

  private void redraw(String frame) {
    if (drawnLines > 0) {
      // Back to the frame's first line, and clear to the end of the screen.
      out.print("\033[" + drawnLines + "F\033[J");
    }
    out.print(frame);
    drawnLines = (int) frame.chars().filter(c -> c == '\n').count();
  }

  static String render(TuningJob sweep, List<TrainingJob> trials) {
    StringWriter text = new StringWriter();
    PrintWriter w = new PrintWriter(text);
    String metric = SweepText.metric(sweep);
    w.println(
        "sweep "
            + sweep.getMetadata().getName()
            + "  "
            + SweepText.phase(sweep)
            + "  "
            + SweepText.bar(sweep, BAR)
            + " trials  ("
            + SweepText.counts(sweep)
            + ")");
    w.println("best so far: " + SweepText.best(sweep));
    List<String[]> rows = new ArrayList<>();
    rows.add(SweepText.header(metric));
    for (TrainingJob t : SweepText.byIndex(trials)) {
      Phase p = t.getStatus() == null ? null : t.getStatus().phase;
      if (p == null || !p.isTerminal()) {
        rows.add(SweepText.row(t, metric));
      }
    }
    if (rows.size() > 1) {
      Tables.print(w, rows);
    }
    w.flush();
    return text.toString();
  }

  private void plain(TuningJob sweep, List<TrainingJob> trials) {
    String metric = SweepText.metric(sweep);
    for (TrainingJob t : SweepText.byIndex(trials)) {
      String[] r = SweepText.row(t, metric);
      String line =
          r[0] + " " + r[1] + " epoch " + r[2] + " " + metric + "=" + r[3] + " (" + r[4] + ")";
      if (!line.equals(lastTrialLine.put(t.getMetadata().getName(), line))) {
        out.println(line);
      }
    }
    String summary =
        "sweep "
            + sweep.getMetadata().getName()
            + " "
            + SweepText.phase(sweep)
            + " "
            + SweepText.done(sweep)
            + "/"
            + SweepText.maxTrials(sweep)
            + " trials ("
            + SweepText.counts(sweep)
            + "); best so far: "
            + SweepText.best(sweep);
    if (!summary.equals(lastSummary)) {
      out.println(summary);
      lastSummary = summary;
    }
  }
}
