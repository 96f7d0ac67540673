package dev.kiln.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Quantity;

/** A cluster-wide queue: the resources its admitted jobs may hold together, and its fair share. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class QueueSpec {
  public Quota quota;

  @Min(value = 0, inclusive = false)
  public Double weight = 1.0;

  /** Limits on what a queue's admitted jobs hold at once; unset means unlimited. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Quota {
    @Min(0)
    public Integer gpu;

    public Quantity cpu;
    public Quantity memory;
  }
}
