package dev.kiln.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** The learning-rate schedule over epochs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.type) || self.type != 'step' || has(self.stepEpochs)",
    message = "schedule type step needs stepEpochs")
public class ScheduleSpec {
  public Type type = Type.CONSTANT;

  @Min(1)
  public Integer stepEpochs;

  @Min(value = 0, inclusive = false)
  @Max(1)
  public Double gamma;

  /** Schedule shapes. */
  public enum Type {
    @JsonProperty("constant")
    CONSTANT,
    @JsonProperty("step")
    STEP,
    @JsonProperty("cosine")
    COSINE
  }
}
