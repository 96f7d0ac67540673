package dev.kiln.model;

/**
 * An independent double-precision implementation of the forward pass and loss (no dropout), used by
 * tests as ground truth for Kiln's float32 network and for finite differences.
 */
final class ReferenceMlp {
  private ReferenceMlp() {}

  /** Outputs (after the last activation) of every row, rows×C, in double. */
  static double[] forward(ModelConfig c, int inputs, double[] p, float[] x, int rows) {
    ParameterLayout layout = new ParameterLayout(c, inputs);
    double[] cur = new double[rows * inputs];
    for (int i = 0; i < cur.length; i++) {
      cur[i] = x[i];
    }
    int width = inputs;
    for (int l = 0; l < c.layers().size(); l++) {
      if (!(c.layers().get(l) instanceof LayerSpec.Dense d)) {
        continue;
      }
      ParameterLayout.Tensor w = layout.weight(l);
      ParameterLayout.Tensor b = layout.bias(l);
      double[] next = new double[rows * d.units()];
      for (int r = 0; r < rows; r++) {
        for (int o = 0; o < d.units(); o++) {
          double z = p[b.offset() + o];
          for (int i = 0; i < width; i++) {
            z += cur[r * width + i] * p[w.offset() + i * d.units() + o];
          }
          next[r * d.units() + o] = z;
        }
        activate(d.activation(), next, r * d.units(), d.units());
      }
      cur = next;
      width = d.units();
    }
    return cur;
  }

  private static void activate(Activation a, double[] v, int off, int n) {
    if (a == Activation.SOFTMAX) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < n; j++) {
        max = Math.max(max, v[off + j]);
      }
      double sum = 0;
      for (int j = 0; j < n; j++) {
        v[off + j] = Math.exp(v[off + j] - max);
        sum += v[off + j];
      }
      for (int j = 0; j < n; j++) {
        v[off + j] /= sum;
      }
      return;
    }
    for (int j = 0; j < n; j++) {
      double z = v[off + j];
      v[off + j] =
          switch (a) {
            case RELU -> Math.max(z, 0);
            case TANH -> Math.tanh(z);
            case SIGMOID -> 1 / (1 + Math.exp(-z));
            default -> z;
          };
    }
  }

  /** The loss summed over rows. */
  static double loss(ModelConfig c, int inputs, double[] p, float[] x, float[] t, int rows) {
    double[] y = forward(c, inputs, p, x, rows);
    int cols = c.outputWidth();
    double total = 0;
    for (int r = 0; r < rows; r++) {
      switch (c.loss()) {
        case CROSS_ENTROPY -> total -= Math.log(y[r * cols + (int) t[r]]);
        case BINARY_CROSS_ENTROPY -> {
          double s = 0;
          for (int j = 0; j < cols; j++) {
            double q = y[r * cols + j];
            double v = t[r * cols + j];
            s -= v * Math.log(q) + (1 - v) * Math.log(1 - q);
          }
          total += s / cols;
        }
        default -> {
          double s = 0;
          for (int j = 0; j < cols; j++) {
            double d = y[r * cols + j] - t[r * cols + j];
            s += d * d;
          }
          total += s / cols;
        }
      }
    }
    return total;
  }

  /** Central finite differences of {@link #loss} for every parameter. */
  static double[] numericGradient(
      ModelConfig c, int inputs, float[] params, float[] x, float[] t, int rows, double eps) {
    double[] p = new double[params.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = params[i];
    }
    double[] g = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      double keep = p[i];
      p[i] = keep + eps;
      double up = loss(c, inputs, p, x, t, rows);
      p[i] = keep - eps;
      double down = loss(c, inputs, p, x, t, rows);
      p[i] = keep;
      g[i] = (up - down) / (2 * eps);
    }
    return g;
  }
}
