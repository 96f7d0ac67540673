package dev.kiln.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Quantity;

/** Resources of one rank or replica; {@code gpu} becomes {@code nvidia.com/gpu}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Resources {
  public Quantity cpu;
  public Quantity memory;

  @Min(0)
  public Integer gpu;

  public Resources() {}

  public Resources(String cpu, String memory, int gpu) {
    this.cpu = new Quantity(cpu);
    this.memory = new Quantity(memory);
    this.gpu = gpu;
  }

  public int gpuOrZero() {
    return gpu == null ? 0 : gpu;
  }
}
