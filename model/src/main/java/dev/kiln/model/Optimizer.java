package dev.kiln.model;

import dev.kiln.model.compute.ComputeBackend;
import dev.kiln.model.compute.DeviceBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Updates parameters from gradients ({@code sgd} or {@code adam}, see {@link OptimizerConfig}),
 * keeping its state (momentum, moments, step count) on the backend. The state can be exported and
 * imported for checkpoints; a resumed optimizer continues bit-identically.
 */
public final class Optimizer implements AutoCloseable {
  private final OptimizerConfig config;
  private final ComputeBackend backend;
  private final int size;
  private final DeviceBuffer first;
  private final DeviceBuffer second;
  private long steps;

  private Optimizer(OptimizerConfig config, ComputeBackend backend, int size) {
    this.config = config;
    this.backend = backend;
    this.size = size;
    boolean adam = config.type() == OptimizerConfig.Type.ADAM;
    this.first = adam || config.momentum() > 0f ? backend.allocate(size) : null;
    this.second = adam ? backend.allocate(size) : null;
  }

  /** An optimizer for {@code network}'s parameters. */
  public static Optimizer create(OptimizerConfig config, Network network) {
    return new Optimizer(config, network.backend(), network.parameterCount());
  }

  /** An optimizer for {@code size} parameters on {@code backend}. */
  public static Optimizer create(OptimizerConfig config, ComputeBackend backend, int size) {
    return new Optimizer(config, backend, size);
  }

  public OptimizerConfig config() {
    return config;
  }

  /** Updates taken so far. */
  public long steps() {
    return steps;
  }

  /** One update of {@code network}'s parameters from its gradients at learning rate {@code lr}. */
  public void step(Network network, float lr) {
    step(network.parameterBuffer(), network.gradientBuffer(), lr);
  }

  /** One update of {@code params} from {@code grads} (both {@code size} floats). */
  public void step(DeviceBuffer params, DeviceBuffer grads, float lr) {
    steps++;
    if (config.type() == OptimizerConfig.Type.SGD) {
      backend.sgdStep(
          params,
          grads,
          first,
          size,
          lr,
          config.momentum(),
          config.nesterov(),
          config.weightDecay());
      return;
    }
    // Bias corrections in double: 1 - beta^t loses digits in float for large t.
    float c1 = (float) (1.0 - Math.pow(config.beta1(), steps));
    float c2 = (float) (1.0 - Math.pow(config.beta2(), steps));
    backend.adamStep(
        params,
        grads,
        first,
        second,
        size,
        lr,
        config.beta1(),
        config.beta2(),
        config.epsilon(),
        config.weightDecay(),
        c1,
        c2);
  }

  /** A copy of the state, for a checkpoint. */
  public OptimizerState exportState() {
    Map<String, float[]> slots = new LinkedHashMap<>();
    for (Map.Entry<String, DeviceBuffer> e : slots().entrySet()) {
      float[] host = new float[size];
      backend.copyToHost(e.getValue(), host, 0, size);
      slots.put(e.getKey(), host);
    }
    return new OptimizerState(config.type().specName(), steps, slots);
  }

  /** Restores a state exported by an optimizer of the same type and size. */
  public void importState(OptimizerState state) {
    if (!state.type().equals(config.type().specName())) {
      throw new IllegalArgumentException(
          "checkpoint holds " + state.type() + " state, optimizer is " + config.type().specName());
    }
    Map<String, DeviceBuffer> mine = slots();
    if (!mine.keySet().equals(state.slots().keySet())) {
      throw new IllegalArgumentException(
          "checkpoint slots " + state.slots().keySet() + " do not match " + mine.keySet());
    }
    for (Map.Entry<String, DeviceBuffer> e : mine.entrySet()) {
      float[] values = state.slots().get(e.getKey());
      if (values.length != size) {
        throw new IllegalArgumentException(
            "slot " + e.getKey() + " has " + values.length + " values, expected " + size);
      }
      backend.copyFromHost(values, 0, e.getValue(), size);
    }
    steps = state.steps();
  }

  private Map<String, DeviceBuffer> slots() {
    Map<String, DeviceBuffer> m = new LinkedHashMap<>();
    if (config.type() == OptimizerConfig.Type.ADAM) {
      m.put("m", first);
      m.put("v", second);
    } else if (first != null) {
      m.put("velocity", first);
    }
    return m;
  }

  @Override
  public void close() {
    if (first != null) {
      first.close();
    }
    if (second != null) {
      second.close();
    }
  }
}
