package dev.kiln.worker.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.ModelConfig;
import dev.kiln.model.Network;
import dev.kiln.model.Optimizer;
import dev.kiln.model.OptimizerConfig;
import dev.kiln.model.compute.ComputeBackend;
import dev.kiln.model.compute.ComputeBackends;
import dev.kiln.model.compute.cuda.CudaBackend;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code kiln bench train}: samples per second of the exact step a TrainingJob runs — forward,
 * cross-entropy backward ({@link Network#forwardBackward}) and an SGD-momentum update ({@link
 * Optimizer#step}) — on an fp32 MLP 784-512-256-10 over synthetic in-memory data. 30 warm-up steps,
 * then timed for {@code --seconds}. The last stdout line is one JSON object.
 *
 * <p>Run with {@code --add-modules jdk.incubator.vector} for the vectorized CPU kernels.
 */
public final class TrainBench {
  private static final int FEATURES = 784;
  private static final int CLASSES = 10;
  private static final int SAMPLES = 8192;
  private static final int WARMUP_STEPS = 30;

  private TrainBench() {}

  public static void main(String[] args) {
    String backendName = "cpu";
    int threads = Runtime.getRuntime().availableProcessors();
    int batch = 128;
    double seconds = 10;
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        String v = i + 1 < args.length ? args[i + 1] : null;
        switch (a) {
          case "--backend" -> backendName = required(a, v);
          case "--threads" -> threads = positive(a, required(a, v));
          case "--batch" -> batch = positive(a, required(a, v));
          case "--seconds" -> seconds = positiveDouble(a, required(a, v));
          default -> throw new IllegalArgumentException("unknown argument " + a);
        }
        i++;
      }
    } catch (IllegalArgumentException e) {
      System.err.println("kiln bench train: " + e.getMessage());
      System.err.println(
          "usage: kiln bench train [--backend cpu|cuda] [--threads N] [--batch B] [--seconds S]");
      System.exit(2);
    }
    ComputeBackend backend;
    try {
      backend = ComputeBackends.create(backendName, threads);
    } catch (IllegalArgumentException e) {
      System.err.println("kiln bench train: " + e.getMessage());
      ObjectNode err = new ObjectMapper().createObjectNode();
      err.put("benchmark", "train");
      err.put("backend", backendName);
      err.put("error", e.getMessage());
      System.out.println(err);
      System.exit(1);
      return;
    }
    try (backend) {
      if (backend.description().endsWith("/java")) {
        System.err.println(
            "kiln bench train: the JVM lacks --add-modules jdk.incubator.vector;"
                + " using the plain-Java kernels (same results, slower)");
      }
      System.out.println(run(backend, threads, batch, seconds));
    }
  }

  /** Runs the benchmark and returns its JSON line. */
  static String run(ComputeBackend backend, int threads, int batch, double seconds) {
    ModelConfig config =
        ModelConfig.mlp(new int[] {512, 256}, CLASSES, OptimizerConfig.sgd(0.05f, 0.9f), batch, 0);
    SplittableRandom random = new SplittableRandom(0);
    int samples = Math.max(SAMPLES, batch * 2);
    float[] x = new float[samples * FEATURES];
    float[] y = new float[samples];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (random.nextDouble() * 2 - 1);
    }
    for (int i = 0; i < samples; i++) {
      y[i] = random.nextInt(CLASSES);
    }
    // One contiguous batch per step, as the trainer's loader hands it over.
    int batches = samples / batch;
    float[][] bx = new float[batches][];
    float[][] by = new float[batches][];
    long[][] ids = new long[batches][batch];
    for (int s = 0; s < batches; s++) {
      bx[s] = java.util.Arrays.copyOfRange(x, s * batch * FEATURES, (s + 1) * batch * FEATURES);
      by[s] = java.util.Arrays.copyOfRange(y, s * batch, (s + 1) * batch);
      for (int r = 0; r < batch; r++) {
        ids[s][r] = (long) s * batch + r;
      }
    }
    try (Network net = Network.create(config, FEATURES, backend);
        Optimizer opt = Optimizer.create(config.optimizer(), net)) {
      float lr = config.optimizer().learningRate();
      float scale = 1f / batch;
      float loss = 0;
      for (int i = 0; i < WARMUP_STEPS; i++) {
        int s = i % batches;
        loss = net.forwardBackward(bx[s], by[s], batch, ids[s], 0, scale);
        opt.step(net, lr);
      }
      long steps = 0;
      long start = System.nanoTime();
      long limit = (long) (seconds * 1e9);
      long elapsed;
      do {
        int s = (int) (steps % batches);
        loss = net.forwardBackward(bx[s], by[s], batch, ids[s], 0, scale);
        opt.step(net, lr);
        steps++;
        elapsed = System.nanoTime() - start;
      } while (elapsed < limit);
      if (backend instanceof CudaBackend cuda) {
        cuda.synchronize(); // kernels run asynchronously: count only finished steps
        elapsed = System.nanoTime() - start;
      }
      double perSec = steps * (double) batch / (elapsed / 1e9);
      if (!Float.isFinite(loss)) {
        throw new IllegalStateException("training diverged: loss " + loss);
      }
      return String.format(
          Locale.ROOT,
          "{\"samples_per_sec\": %.1f, \"backend\": \"%s\", \"threads\": %d, \"batch\": %d,"
              + " \"steps\": %d, \"seconds\": %.3f, \"model\": \"784-512-256-10\","
              + " \"implementation\": \"%s\", \"last_loss\": %.5f%s}",
          perSec,
          backend.name(),
          threads,
          batch,
          steps,
          elapsed / 1e9,
          backend.description(),
          loss / batch,
          peakFraction(backend, net.parameterCount(), perSec));
    }
  }

  /**
   * With cuda, the fraction of the GPU's FP32 non-tensor peak reached, counting 6 × parameters
   * FLOPs per sample (forward 2, backward 4); empty for other backends.
   */
  static String peakFraction(ComputeBackend backend, int parameters, double samplesPerSec) {
    if (!(backend instanceof CudaBackend cuda) || cuda.fp32PeakFlops() <= 0) {
      return "";
    }
    double flops = 6.0 * parameters * samplesPerSec;
    return String.format(
        Locale.ROOT,
        ", \"fp32_peak_fraction\": %.4f, \"fp32_peak_tflops\": %.2f",
        flops / cuda.fp32PeakFlops(),
        cuda.fp32PeakFlops() / 1e12);
  }

  private static String required(String flag, String value) {
    if (value == null) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return value;
  }

  private static int positive(String flag, String value) {
    try {
      int v = Integer.parseInt(value);
      if (v >= 1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(flag + " must be a positive integer, got " + value);
  }

  private static double positiveDouble(String flag, String value) {
    try {
      double v = Double.parseDouble(value);
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(flag + " must be a positive number, got " + value);
  }
}
