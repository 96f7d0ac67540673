package dev.kiln.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a TrainingJob asks for: a gang of ranks running the built-in trainer or a container. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.algorithm) != has(self.container)",
    message = "set exactly one of spec.algorithm (the built-in trainer) or spec.container")
@ValidationRule(
    value = "!has(self.algorithm) || (has(self.inputs) && 'train' in self.inputs)",
    message = "the built-in trainer needs spec.inputs.train")
public class TrainingJobSpec {
  @Min(1)
  @Max(4096)
  public Integer workers = 1;

  public Resources resources;

  public Algorithm algorithm;

  public ContainerSpec container;

  /** Dotted paths into {@code algorithm}; containers get them as KILN_HYPERPARAMETERS. */
  public Map<String, String> hyperparameters;

  public Map<String, Channel> inputs = new LinkedHashMap<>();

  @Required public OutputSpec output;

  public CheckpointSpec checkpoint;

  public List<MetricRule> metrics;

  @Min(0)
  @Max(1000)
  public Integer maxRestarts = 3;

  @Min(1)
  public Integer startupTimeoutSeconds = 300;

  @Min(1)
  public Long activeDeadlineSeconds;

  @Min(0)
  public Long ttlSecondsAfterFinished;

  public Boolean suspend;

  public String queue = "default";

  @Min(-1000000)
  @Max(1000000)
  public Integer priority = 0;

  public int workersOrOne() {
    return workers == null ? 1 : workers;
  }

  public boolean suspended() {
    return Boolean.TRUE.equals(suspend);
  }
}
