package dev.kiln.model;

import dev.kiln.model.compute.ComputeBackend;
import dev.kiln.model.compute.DeviceBuffer;
import dev.kiln.model.compute.HostBuffer;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A sequential MLP on a {@link ComputeBackend}. All parameters live in one contiguous float array
 * (layout: {@link ParameterLayout}) and all gradients in another of the same layout, so a
 * data-parallel trainer all-reduces one buffer.
 *
 * <p>On a host backend ({@code cpu}) {@link #parameters()} and {@link #gradients()} are the live
 * storage. On a device backend they are host mirrors: call {@link #syncGradientsToHost()} before
 * reading gradients, {@link #syncGradientsToDevice()} after changing them (e.g. all-reduce), and
 * the same for parameters. Those calls cost nothing on the CPU, so trainers should always make
 * them.
 *
 * <p>Training calls are not thread-safe; {@link #predict} is, while no training runs.
 */
public final class Network implements AutoCloseable {
  private final ModelConfig config;
  private final int inputWidth;
  private final ComputeBackend backend;
  private final ParameterLayout layout;
  private final List<LayerSpec> layers;
  private final DeviceBuffer params;
  private final DeviceBuffer grads;
  private final float[] hostParams;
  private final float[] hostGrads;
  private final DeviceBuffer[] w;
  private final DeviceBuffer[] b;
  private final DeviceBuffer[] dw;
  private final DeviceBuffer[] db;
  private Workspace train;
  private int lastRows;

  private Network(ModelConfig config, int inputWidth, ComputeBackend backend, float[] initial) {
    this.config = config;
    this.inputWidth = inputWidth;
    this.backend = backend;
    this.layout = new ParameterLayout(config, inputWidth);
    this.layers = config.layers();
    int n = layout.size();
    if (initial.length != n) {
      throw new ModelConfigException(
          "expected " + n + " parameters for this architecture, got " + initial.length);
    }
    this.params = backend.allocate(n);
    this.grads = backend.allocate(n);
    if (backend.isHostMemory()) {
      hostParams = HostBuffer.cast(params).array();
      hostGrads = HostBuffer.cast(grads).array();
    } else {
      hostParams = new float[n];
      hostGrads = new float[n];
    }
    System.arraycopy(initial, 0, hostParams, 0, n);
    syncParametersToDevice();
    int count = layers.size();
    w = new DeviceBuffer[count];
    b = new DeviceBuffer[count];
    dw = new DeviceBuffer[count];
    db = new DeviceBuffer[count];
    for (ParameterLayout.Tensor t : layout.tensors()) {
      int l = t.layer();
      if (t.isWeight()) {
        w[l] = params.slice(t.offset(), t.length());
        dw[l] = grads.slice(t.offset(), t.length());
      } else {
        b[l] = params.slice(t.offset(), t.length());
        db[l] = grads.slice(t.offset(), t.length());
      }
    }
  }

  /** A network with seeded initial weights: He-normal before relu, Glorot-uniform otherwise. */
  public static Network create(ModelConfig config, int inputWidth, ComputeBackend backend) {
    ParameterLayout layout = new ParameterLayout(config, inputWidth);
    return new Network(config, inputWidth, backend, initialParameters(config, layout));
  }

  /** A network with the given parameters (e.g. loaded from a checkpoint or artifact). */
  public static Network withParameters(
      ModelConfig config, int inputWidth, ComputeBackend backend, float[] parameters) {
    return new Network(config, inputWidth, backend, parameters);
  }

  /** Deterministic initial parameters for {@code config.seed()}; biases start at zero. */
  public static float[] initialParameters(ModelConfig config, ParameterLayout layout) {
    float[] p = new float[layout.size()];
    SplittableRandom random = new SplittableRandom(config.seed());
    for (ParameterLayout.Tensor t : layout.tensors()) {
      if (!t.isWeight()) {
        continue;
      }
      LayerSpec.Dense d = (LayerSpec.Dense) config.layers().get(t.layer());
      int fanIn = t.rows();
      int fanOut = t.cols();
      if (d.activation() == Activation.RELU) {
        double std = Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < t.length(); i++) {
          p[t.offset() + i] = (float) (std * gaussian(random));
        }
      } else {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        for (int i = 0; i < t.length(); i++) {
          p[t.offset() + i] = (float) ((random.nextDouble() * 2 - 1) * limit);
        }
      }
    }
    return p;
  }

  /** Box–Muller with StrictMath, so the draw is the same on every JVM. */
  private static double gaussian(SplittableRandom random) {
    double u = 1.0 - random.nextDouble();
    double v = random.nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u)) * StrictMath.cos(2 * Math.PI * v);
  }

  public ModelConfig config() {
    return config;
  }

  public int inputWidth() {
    return inputWidth;
  }

  public int outputWidth() {
    return config.outputWidth();
  }

  public ComputeBackend backend() {
    return backend;
  }

  public ParameterLayout layout() {
    return layout;
  }

  public int parameterCount() {
    return layout.size();
  }

  /** Parameters, host side (see the class comment for device backends). */
  public float[] parameters() {
    return hostParams;
  }

  /** Gradients of the last {@link #forwardBackward}, host side. */
  public float[] gradients() {
    return hostGrads;
  }

  /** The parameters where the backend computes with them (for optimizers). */
  public DeviceBuffer parameterBuffer() {
    return params;
  }

  /** The gradients where the backend computes with them (for optimizers). */
  public DeviceBuffer gradientBuffer() {
    return grads;
  }

  /** Makes {@link #parameters()} current after the backend changed them; free on the CPU. */
  public void syncParametersToHost() {
    if (!backend.isHostMemory()) {
      backend.copyToHost(params, hostParams, 0, hostParams.length);
    }
  }

  /** Makes the backend see changes made to {@link #parameters()}; free on the CPU. */
  public void syncParametersToDevice() {
    if (!backend.isHostMemory()) {
      backend.copyFromHost(hostParams, 0, params, hostParams.length);
    }
  }

  /** Makes {@link #gradients()} current after a step; free on the CPU. */
  public void syncGradientsToHost() {
    if (!backend.isHostMemory()) {
      backend.copyToHost(grads, hostGrads, 0, hostGrads.length);
    }
  }

  /** Makes the backend see changes made to {@link #gradients()}; free on the CPU. */
  public void syncGradientsToDevice() {
    if (!backend.isHostMemory()) {
      backend.copyFromHost(hostGrads, 0, grads, hostGrads.length);
    }
  }

  /**
   * One data-parallel training step's local part: forward and backward over {@code rows} samples
   * ({@code x} row-major rows×inputWidth; {@code targets} one class index per row for cross
   * entropy, else rows×outputWidth), writing {@code gradients = gradScale × Σ per-sample gradients}
   * (pass 1/globalBatch, then all-reduce with SUM). Dropout masks depend on {@code (seed, epoch,
   * sampleIds[r], layer)}, never on the rank or thread count.
   *
   * @return the per-sample losses summed over the rows (unscaled)
   */
  public float forwardBackward(
      float[] x, float[] targets, int rows, long[] sampleIds, int epoch, float gradScale) {
    if (rows < 1) {
      throw new IllegalArgumentException("rows must be at least 1, got " + rows);
    }
    checkLength("x", x, (long) rows * inputWidth);
    checkLength("targets", targets, (long) rows * config.loss().targetWidth(outputWidth()));
    if (sampleIds != null && sampleIds.length < rows) {
      throw new IllegalArgumentException("sampleIds has " + sampleIds.length + " < " + rows);
    }
    if (train == null || train.rows < rows) {
      train = new Workspace(rows, true);
    }
    Workspace ws = train;
    DeviceBuffer in = ws.input(x, rows);
    DeviceBuffer target = ws.target(targets, rows);
    long[] ids = sampleIds;
    if (ids == null && hasDropout()) {
      throw new IllegalArgumentException("a network with dropout needs sampleIds");
    }
    forward(in, rows, ws, ids, epoch, true);
    lastRows = rows;
    int last = layers.size() - 1;
    LayerSpec.Dense out = config.outputLayer();
    double loss =
        backend.lossAndGradient(
            config.loss(),
            out.activation(),
            ws.logits,
            ws.out[last],
            target,
            rows,
            out.units(),
            gradScale,
            ws.gradA);
    backward(in, rows, ws);
    return (float) loss;
  }

  private boolean hasDropout() {
    for (LayerSpec l : layers) {
      if (l instanceof LayerSpec.Dropout d && d.rate() > 0f) {
        return true;
      }
    }
    return false;
  }

  private static void checkLength(String name, float[] a, long need) {
    if (a.length < need) {
      throw new IllegalArgumentException(
          name + " has " + a.length + " floats, " + need + " are needed");
    }
  }

  /** Copies the outputs (probabilities or values) of the last training forward pass. */
  public void readOutputs(float[] dst) {
    if (train == null) {
      throw new IllegalStateException("no training forward pass has run yet");
    }
    int n = lastRows * outputWidth();
    backend.copyToHost(train.out[layers.size() - 1], dst, 0, n);
  }

  /**
   * Inference on {@code rows} samples (no dropout): writes rows×outputWidth values (probabilities
   * for softmax outputs) to {@code out}. Thread-safe; uses its own buffers.
   */
  public void predict(float[] x, int rows, float[] out) {
    checkLength("x", x, (long) rows * inputWidth);
    checkLength("out", out, (long) rows * outputWidth());
    if (rows == 0) {
      return;
    }
    Workspace ws = new Workspace(rows, false);
    try {
      DeviceBuffer y = forward(ws.input(x, rows), rows, ws, null, 0, false);
      backend.copyToHost(y, out, 0, rows * outputWidth());
    } finally {
      ws.close();
    }
  }

  /**
   * Validation: the per-sample losses summed over {@code rows} samples, computed exactly as in
   * training (from the logits) but without dropout and without touching the gradients; writes the
   * outputs to {@code outputs} (rows×outputWidth) when it is not null. Thread-safe like {@link
   * #predict}.
   */
  public double evaluate(float[] x, float[] targets, int rows, float[] outputs) {
    checkLength("x", x, (long) rows * inputWidth);
    checkLength("targets", targets, (long) rows * config.loss().targetWidth(outputWidth()));
    if (rows == 0) {
      return 0;
    }
    Workspace ws = new Workspace(rows, false);
    try {
      DeviceBuffer y = forward(ws.input(x, rows), rows, ws, null, 0, false);
      DeviceBuffer scratch = ws.allocate(rows * outputWidth());
      LayerSpec.Dense out = config.outputLayer();
      double loss =
          backend.lossAndGradient(
              config.loss(),
              out.activation(),
              ws.logits,
              y,
              ws.target(targets, rows),
              rows,
              out.units(),
              1f,
              scratch);
      if (outputs != null) {
        checkLength("outputs", outputs, (long) rows * outputWidth());
        backend.copyToHost(y, outputs, 0, rows * outputWidth());
      }
      return loss;
    } finally {
      ws.close();
    }
  }

  private DeviceBuffer forward(
      DeviceBuffer x, int rows, Workspace ws, long[] ids, int epoch, boolean training) {
    DeviceBuffer cur = x;
    int width = inputWidth;
    int last = layers.size() - 1;
    for (int l = 0; l < layers.size(); l++) {
      LayerSpec spec = layers.get(l);
      if (spec instanceof LayerSpec.Dense d) {
        if (l == last && d.activation() != Activation.LINEAR) {
          backend.denseForward(
              cur, rows, width, w[l], b[l], d.units(), Activation.LINEAR, ws.logits);
          backend.activationForward(d.activation(), ws.logits, ws.out[l], rows, d.units());
        } else {
          backend.denseForward(cur, rows, width, w[l], b[l], d.units(), d.activation(), ws.out[l]);
          if (l == last) {
            ws.logits = ws.out[l];
          }
        }
        width = d.units();
        cur = ws.out[l];
      } else {
        float rate = ((LayerSpec.Dropout) spec).rate();
        if (training && rate > 0f) {
          backend.dropoutForward(
              cur, ws.mask[l], ws.out[l], rows, width, rate, dropoutKey(epoch, l), ids);
          cur = ws.out[l];
        } else {
          ws.out[l] = cur;
        }
      }
    }
    return cur;
  }

  private long dropoutKey(int epoch, int layer) {
    long h = config.seed() * 0x9E3779B97F4A7C15L + 0xD1B54A32D192ED03L;
    h = (h ^ (h >>> 29)) * 0xBF58476D1CE4E5B9L + epoch;
    h = (h ^ (h >>> 32)) * 0x94D049BB133111EBL + layer;
    return h ^ (h >>> 29);
  }

  private void backward(DeviceBuffer x, int rows, Workspace ws) {
    DeviceBuffer g = ws.gradA;
    DeviceBuffer other = ws.gradB;
    for (int l = layers.size() - 1; l >= 0; l--) {
      if (!(layers.get(l) instanceof LayerSpec.Dense d)) {
        continue;
      }
      DeviceBuffer in = l == 0 ? x : ws.out[l - 1];
      int inWidth = l == 0 ? inputWidth : layout.width(l - 1);
      backend.denseBackwardWeights(in, rows, inWidth, g, d.units(), dw[l], db[l]);
      int j = l - 1;
      boolean dropped = false;
      while (j >= 0 && !(layers.get(j) instanceof LayerSpec.Dense)) {
        dropped |= ((LayerSpec.Dropout) layers.get(j)).rate() > 0f;
        j--;
      }
      if (j < 0) {
        break; // only the input (and input dropout) below: no gradient needed there
      }
      Activation act = ((LayerSpec.Dense) layers.get(j)).activation();
      if (!dropped && act.isElementwise()) {
        backend.denseBackwardData(g, rows, d.units(), w[l], inWidth, other, act, ws.out[j]);
      } else {
        backend.denseBackwardData(g, rows, d.units(), w[l], inWidth, other, null, null);
        for (int k = l - 1; k > j; k--) {
          if (((LayerSpec.Dropout) layers.get(k)).rate() > 0f) {
            backend.multiply(other, ws.mask[k], rows * inWidth);
          }
        }
        if (act != Activation.LINEAR) {
          backend.activationBackward(act, ws.out[j], other, rows, inWidth);
        }
      }
      DeviceBuffer t = g;
      g = other;
      other = t;
    }
  }

  /** Buffers for one batch size: layer outputs, dropout masks, gradients. */
  private final class Workspace implements AutoCloseable {
    final int rows;
    final DeviceBuffer[] out = new DeviceBuffer[layers.size()];
    final DeviceBuffer[] mask = new DeviceBuffer[layers.size()];
    DeviceBuffer logits;
    DeviceBuffer gradA;
    DeviceBuffer gradB;
    DeviceBuffer inputCopy;
    DeviceBuffer targetCopy;
    private final List<DeviceBuffer> owned = new java.util.ArrayList<>();

    private DeviceBuffer allocate(int length) {
      DeviceBuffer d = backend.allocate(length);
      owned.add(d);
      return d;
    }

    Workspace(int rows, boolean training) {
      this.rows = rows;
      int maxWidth = inputWidth;
      for (int l = 0; l < layers.size(); l++) {
        int width = layout.width(l);
        maxWidth = Math.max(maxWidth, width);
        boolean dropout = layers.get(l) instanceof LayerSpec.Dropout;
        if (!dropout || training) {
          out[l] = allocate(rows * width);
        }
        if (dropout && training) {
          mask[l] = allocate(rows * width);
        }
      }
      logits = allocate(rows * outputWidth());
      if (training) {
        gradA = allocate(rows * maxWidth);
        gradB = allocate(rows * maxWidth);
      }
    }

    DeviceBuffer input(float[] x, int n) {
      if (backend.isHostMemory()) {
        return HostBuffer.of(x);
      }
      if (inputCopy == null) {
        inputCopy = allocate(rows * inputWidth);
      }
      backend.copyFromHost(x, 0, inputCopy, n * inputWidth);
      return inputCopy;
    }

    DeviceBuffer target(float[] t, int n) {
      if (backend.isHostMemory()) {
        return HostBuffer.of(t);
      }
      int width = config.loss().targetWidth(outputWidth());
      if (targetCopy == null) {
        targetCopy = allocate(rows * width);
      }
      backend.copyFromHost(t, 0, targetCopy, n * width);
      return targetCopy;
    }

    @Override
    public void close() {
      owned.forEach(DeviceBuffer::close);
      owned.clear();
    }
  }

  @Override
  public void close() {
    if (train != null) {
      train.close();
    }
    params.close();
    grads.close();
  }
}
