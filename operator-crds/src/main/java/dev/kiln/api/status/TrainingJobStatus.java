package dev.kiln.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What the control plane observed of a TrainingJob; it is the only writer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainingJobStatus {
  public Phase phase;
  public Long observedGeneration;
  public Integer attempt;
  public WorkerCounts workers;

  /** {@code ready/total}, for printer columns. */
  public String ranks;

  public Integer restarts;
  public String startTime;
  public String completionTime;
  public Metrics metrics;

  /** The newest value of the job's headline metric, e.g. {@code val_accuracy=0.951}. */
  public String latestMetric;

  public String modelUri;

  /** The spec this status was reconciled against, as JSON: spec changes are judged by field. */
  public String lastReconciledSpec;

  /** Place in its queue while Queued (1 is next). */
  public Integer queuePosition;

  public List<Condition> conditions = new ArrayList<>();

  /** Ranks ready and in total. */
  public static class WorkerCounts {
    public int ready;
    public int total;

    public WorkerCounts() {}

    public WorkerCounts(int ready, int total) {
      this.ready = ready;
      this.total = total;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof WorkerCounts w && w.ready == ready && w.total == total;
    }

    @Override
    public int hashCode() {
      return Objects.hash(ready, total);
    }
  }

  /** The latest per-epoch values and a bounded per-epoch history (newest last). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Metrics {
    public static final int MAX_HISTORY = 100;

    public Map<String, Double> latest = new LinkedHashMap<>();
    public List<Map<String, Double>> history = new ArrayList<>();
  }
}
