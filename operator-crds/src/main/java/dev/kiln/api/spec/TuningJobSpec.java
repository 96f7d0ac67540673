package dev.kiln.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** A hyperparameter sweep: trials are TrainingJobs made from {@code trialTemplate}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.parallelTrials) || !has(self.maxTrials) || self.parallelTrials <= self.maxTrials",
    message = "parallelTrials must not exceed maxTrials")
public class TuningJobSpec {
  @Required public Objective objective;

  public Strategy strategy;

  public EarlyStopping earlyStopping;

  @Required
  @Size(min = 1, max = 64)
  public List<Parameter> parameters = new ArrayList<>();

  @Min(1)
  @Max(10000)
  public Integer maxTrials = 16;

  @Min(1)
  @Max(1000)
  public Integer parallelTrials = 1;

  @Min(0)
  public Integer maxFailedTrials = 3;

  @Required public TrialTemplate trialTemplate;

  /** The metric a sweep optimizes. */
  public static class Objective {
    @Required
    @Pattern("^[A-Za-z_][A-Za-z0-9_]*$")
    public String metric;

    public Goal goal = Goal.MAXIMIZE;
  }

  /** Whether larger or smaller objective values are better. */
  public enum Goal {
    @JsonProperty("maximize")
    MAXIMIZE,
    @JsonProperty("minimize")
    MINIMIZE
  }

  /** The search strategy. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Strategy {
    public StrategyType type = StrategyType.BAYESIAN;
    public Long seed;
  }

  /** Search strategies. */
  public enum StrategyType {
    @JsonProperty("random")
    RANDOM,
    @JsonProperty("grid")
    GRID,
    @JsonProperty("sobol")
    SOBOL,
    @JsonProperty("bayesian")
    BAYESIAN,
    @JsonProperty("tpe")
    TPE
  }

  /** Early stopping of unpromising trials over epochs. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class EarlyStopping {
    public EarlyStoppingType type = EarlyStoppingType.NONE;

    @Min(1)
    public Integer minEpochs;

    @Min(2)
    public Integer reductionFactor;
  }

  /** Early-stopping rules. */
  public enum EarlyStoppingType {
    @JsonProperty("asha")
    ASHA,
    @JsonProperty("hyperband")
    HYPERBAND,
    @JsonProperty("median")
    MEDIAN,
    @JsonProperty("none")
    NONE
  }

  /** One searched parameter: a dotted path into the trial's algorithm. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "self.type == 'categorical' ? has(self.values) : (has(self.min) && has(self.max))",
      message = "double and int parameters need min and max; categorical ones need values")
  @ValidationRule(
      value = "!has(self.min) || !has(self.max) || self.min < self.max",
      message = "min must be less than max")
  @ValidationRule(
      value = "!has(self.scale) || self.scale != 'log' || (has(self.min) && self.min > 0.0)",
      message = "a log-scale parameter needs min > 0")
  public static class Parameter {
    @Required
    @Pattern("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*$")
    public String name;

    @Required public ParameterType type;

    public Double min;
    public Double max;
    public Scale scale;

    @Size(min = 1, max = 1000)
    public List<String> values;
  }

  /** Parameter value types. */
  public enum ParameterType {
    @JsonProperty("double")
    DOUBLE,
    @JsonProperty("int")
    INT,
    @JsonProperty("categorical")
    CATEGORICAL
  }

  /** How a numeric parameter is searched. */
  public enum Scale {
    @JsonProperty("linear")
    LINEAR,
    @JsonProperty("log")
    LOG
  }

  /** The TrainingJob every trial starts from. */
  public static class TrialTemplate {
    @Required public TrainingJobSpec spec;
  }
}
