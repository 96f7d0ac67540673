package dev.kiln.model.compute.cpu;

import dev.kiln.model.Activation;

/** Activation, dropout and bias loops over row-major blocks; plain Java the JIT vectorizes. */
final class ElementwiseOps {
  private ElementwiseOps() {}

  /** Adds the bias and applies an elementwise activation to a tile. */
  static Epilogue biasActivation(float[] bias, int biasOff, Activation act) {
    return (c, cOff, ldc, i0, rows, j0, cols) -> {
      for (int r = 0; r < rows; r++) {
        int row = cOff + (i0 + r) * ldc + j0;
        int bo = biasOff + j0;
        switch (act) {
          case RELU:
            for (int j = 0; j < cols; j++) {
              c[row + j] = Math.max(c[row + j] + bias[bo + j], 0f);
            }
            break;
          case LINEAR:
          case SOFTMAX: // row-wise: the caller finishes it after the multiply
            for (int j = 0; j < cols; j++) {
              c[row + j] += bias[bo + j];
            }
            break;
          default:
            for (int j = 0; j < cols; j++) {
              c[row + j] = act.apply(c[row + j] + bias[bo + j]);
            }
        }
      }
    };
  }

  /** Multiplies a tile of a gradient by the activation's derivative, given its output. */
  static Epilogue activationGradient(float[] y, int yOff, int ldy, Activation act) {
    return (c, cOff, ldc, i0, rows, j0, cols) ->
        multiplyDerivative(
            act, y, yOff + i0 * ldy + j0, ldy, c, cOff + i0 * ldc + j0, ldc, rows, cols);
  }

  /** {@code g ← g ⊙ act'(y)} on a rows×cols block, elementwise activations only. */
  static void multiplyDerivative(
      Activation act, float[] y, int yo, int ldy, float[] g, int go, int ldg, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int yr = yo + r * ldy;
      int gr = go + r * ldg;
      switch (act) {
        case RELU:
          // Branch-free: relu outputs are +0 or positive, half of them zero, which a branch
          // mispredicts; all-ones bits for y > 0, zero bits for y == +0.
          for (int j = 0; j < cols; j++) {
            int yb = Float.floatToRawIntBits(y[yr + j]);
            int keep = (yb | -yb) >> 31;
            g[gr + j] = Float.intBitsToFloat(Float.floatToRawIntBits(g[gr + j]) & keep);
          }
          break;
        case TANH:
          for (int j = 0; j < cols; j++) {
            float v = y[yr + j];
            g[gr + j] *= 1f - v * v;
          }
          break;
        case SIGMOID:
          for (int j = 0; j < cols; j++) {
            float v = y[yr + j];
            g[gr + j] *= v * (1f - v);
          }
          break;
        case LINEAR:
          break;
        default:
          throw new IllegalArgumentException("not elementwise: " + act);
      }
    }
  }

  /** Softmax of each row in place, shifted by the row maximum so nothing overflows. */
  static void softmaxRows(float[] z, int off, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int o = off + r * cols;
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < cols; j++) {
        max = Math.max(max, z[o + j]);
      }
      double sum = 0;
      for (int j = 0; j < cols; j++) {
        float e = (float) Math.exp(z[o + j] - max);
        z[o + j] = e;
        sum += e;
      }
      float inv = (float) (1.0 / sum);
      for (int j = 0; j < cols; j++) {
        z[o + j] *= inv;
      }
    }
  }

  /** Softmax backward in place: {@code g ← y ⊙ (g − Σ g⊙y)} per row. */
  static void softmaxBackward(float[] y, int yo, float[] g, int go, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      double dot = 0;
      for (int j = 0; j < cols; j++) {
        dot += (double) g[go + r * cols + j] * y[yo + r * cols + j];
      }
      float d = (float) dot;
      for (int j = 0; j < cols; j++) {
        int gi = go + r * cols + j;
        g[gi] = y[yo + r * cols + j] * (g[gi] - d);
      }
    }
  }

  /**
   * Inverted-dropout mask for one row: each column is kept with probability {@code 1 - rate}, as
   * {@code 1/(1-rate)}; the draw is a hash of (key, rowId, column), so it is the same wherever the
   * row is computed.
   */
  static void dropoutRow(float[] mask, int off, int cols, float rate, long key, long rowId) {
    float keep = 1f / (1f - rate);
    long rowSeed = mix(key ^ mix(rowId + 0x9E3779B97F4A7C15L));
    for (int j = 0; j < cols; j++) {
      long h = mix(rowSeed + (j + 1) * 0x9E3779B97F4A7C15L);
      float u = (h >>> 40) * 0x1.0p-24f;
      mask[off + j] = u < rate ? 0f : keep;
    }
  }

  /** SplitMix64's finalizer: a strong 64-bit mix. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
