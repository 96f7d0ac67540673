package dev.kiln.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** The built-in trainer: a sequential model, its loss, optimizer and schedule. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Algorithm {
  @Required public ModelArchitecture model;

  @Required public Loss loss;

  public OptimizerSpec optimizer;

  public ScheduleSpec schedule;

  @Min(1)
  @Max(100000)
  public Integer epochs = 10;

  /** Per rank. */
  @Min(1)
  @Max(1048576)
  public Integer batchSize = 64;

  public Long seed;

  /** Bit-identical results for the same rank count. */
  public Boolean deterministic;

  /** Training losses. */
  public enum Loss {
    @JsonProperty("mse")
    MSE,
    @JsonProperty("cross_entropy")
    CROSS_ENTROPY,
    @JsonProperty("binary_cross_entropy")
    BINARY_CROSS_ENTROPY
  }
}
