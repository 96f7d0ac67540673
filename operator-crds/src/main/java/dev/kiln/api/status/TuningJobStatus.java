package dev.kiln.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Counts and the best trial only, so a sweep's status stays small. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TuningJobStatus {
  public Phase phase;
  public Long observedGeneration;
  public TrialCounts trials;

  /** {@code done/max}, for printer columns. */
  public String progress;

  public BestTrial bestTrial;
  public String startTime;
  public String completionTime;
  public List<Condition> conditions = new ArrayList<>();

  /** Trials by state. */
  public static class TrialCounts {
    public int running;
    public int succeeded;
    public int failed;
    public int stopped;
    public int total;
  }

  /** The best trial so far. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class BestTrial {
    public String name;
    public Map<String, String> parameters;
    public Double objective;
  }
}
