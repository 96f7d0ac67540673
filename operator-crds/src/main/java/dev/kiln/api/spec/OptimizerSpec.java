package dev.kiln.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The optimizer of the built-in trainer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OptimizerSpec {
  public Type type = Type.ADAM;

  @Min(value = 0, inclusive = false)
  @Max(10)
  public Double learningRate = 0.001;

  @Min(0)
  @Max(value = 1, inclusive = false)
  public Double momentum;

  public Boolean nesterov;

  @Min(0)
  public Double weightDecay;

  /** Optimizer algorithms. */
  public enum Type {
    @JsonProperty("sgd")
    SGD,
    @JsonProperty("adam")
    ADAM
  }
}
