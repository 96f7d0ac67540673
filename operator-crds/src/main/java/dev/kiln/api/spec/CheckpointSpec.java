package dev.kiln.api.spec;

import io.fabric8.generator.annotation.Min;

/** How often ranks checkpoint; the final epoch is always checkpointed. */
public class CheckpointSpec {
  @Min(1)
  public Integer everyEpochs = 1;
}
