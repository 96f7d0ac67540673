package dev.kiln.model.compute.cpu;

import dev.kiln.model.Activation;
import dev.kiln.model.LossFunction;
import dev.kiln.model.compute.ComputeBackend;
import dev.kiln.model.compute.DeviceBuffer;
import dev.kiln.model.compute.HostBuffer;

/**
 * The CPU backend: buffers are Java arrays, matrix work goes through the blocked {@link Sgemm} on
 * at most {@code threads} threads (the caller counts as one). Fast when the JVM runs with {@code
 * --add-modules jdk.incubator.vector}; correct and bit-identical, only slower, without it.
 */
public final class CpuBackend implements ComputeBackend {
  /** Elements per part of an elementwise parallel loop (big enough to amortize a hand-off). */
  private static final int CHUNK = 1 << 15;

  private final int threads;
  private final WorkerPool pool;
  private final Sgemm sgemm;

  /** A backend with at most {@code threads} compute threads. */
  public CpuBackend(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.threads = threads;
    this.pool = new WorkerPool(threads, "kiln-cpu");
    this.sgemm = new Sgemm(GemmKernels.best(), pool);
  }

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public int threads() {
    return threads;
  }

  /** The micro-kernels in use: {@code vector512}, {@code vector256} or {@code java}. */
  public String kernels() {
    return sgemm.kernels().name();
  }

  @Override
  public String description() {
    return "cpu/" + kernels();
  }

  @Override
  public boolean isHostMemory() {
    return true;
  }

  @Override
  public DeviceBuffer allocate(int length) {
    return HostBuffer.of(new float[length]);
  }

  @Override
  public void copyFromHost(float[] src, int srcOffset, DeviceBuffer dst, int length) {
    HostBuffer d = host(dst, length);
    System.arraycopy(src, srcOffset, d.array(), d.offset(), length);
  }

  @Override
  public void copyToHost(DeviceBuffer src, float[] dst, int dstOffset, int length) {
    HostBuffer s = host(src, length);
    System.arraycopy(s.array(), s.offset(), dst, dstOffset, length);
  }

  @Override
  public void gemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float alpha,
      DeviceBuffer a,
      int lda,
      DeviceBuffer b,
      int ldb,
      float beta,
      DeviceBuffer c,
      int ldc) {
    HostBuffer ha = HostBuffer.cast(a);
    HostBuffer hb = HostBuffer.cast(b);
    HostBuffer hc = HostBuffer.cast(c);
    sgemm.multiply(
        transA,
        transB,
        m,
        n,
        k,
        alpha,
        ha.array(),
        ha.offset(),
        lda,
        hb.array(),
        hb.offset(),
        ldb,
        beta,
        hc.array(),
        hc.offset(),
        ldc,
        null);
  }

  @Override
  public void denseForward(
      DeviceBuffer x,
      int rows,
      int in,
      DeviceBuffer w,
      DeviceBuffer bias,
      int out,
      Activation act,
      DeviceBuffer y) {
    HostBuffer hx = host(x, rows * in);
    HostBuffer hw = host(w, in * out);
    HostBuffer hb = host(bias, out);
    HostBuffer hy = host(y, rows * out);
    sgemm.multiply(
        false,
        false,
        rows,
        out,
        in,
        1f,
        hx.array(),
        hx.offset(),
        in,
        hw.array(),
        hw.offset(),
        out,
        0f,
        hy.array(),
        hy.offset(),
        out,
        ElementwiseOps.biasActivation(hb.array(), hb.offset(), act));
    if (act == Activation.SOFTMAX) {
      ElementwiseOps.softmaxRows(hy.array(), hy.offset(), rows, out);
    }
  }

  @Override
  public void denseBackwardData(
      DeviceBuffer dz,
      int rows,
      int out,
      DeviceBuffer w,
      int in,
      DeviceBuffer dx,
      Activation act,
      DeviceBuffer activated) {
    HostBuffer hz = host(dz, rows * out);
    HostBuffer hw = host(w, in * out);
    HostBuffer hx = host(dx, rows * in);
    Epilogue epilogue = null;
    if (act != null && act.isElementwise() && act != Activation.LINEAR) {
      HostBuffer ha = host(activated, rows * in);
      epilogue = ElementwiseOps.activationGradient(ha.array(), ha.offset(), in, act);
    }
    sgemm.multiply(
        false,
        true,
        rows,
        in,
        out,
        1f,
        hz.array(),
        hz.offset(),
        out,
        hw.array(),
        hw.offset(),
        out,
        0f,
        hx.array(),
        hx.offset(),
        in,
        epilogue);
    if (act == Activation.SOFTMAX) {
      activationBackward(act, activated, dx, rows, in);
    }
  }

  @Override
  public void denseBackwardWeights(
      DeviceBuffer x,
      int rows,
      int in,
      DeviceBuffer dz,
      int out,
      DeviceBuffer dw,
      DeviceBuffer db) {
    HostBuffer hx = host(x, rows * in);
    HostBuffer hz = host(dz, rows * out);
    HostBuffer hw = host(dw, in * out);
    HostBuffer hb = host(db, out);
    sgemm.multiply(
        true,
        false,
        in,
        out,
        rows,
        1f,
        hx.array(),
        hx.offset(),
        in,
        hz.array(),
        hz.offset(),
        out,
        0f,
        hw.array(),
        hw.offset(),
        out,
        null);
    columnSums(hz.array(), hz.offset(), rows, out, hb.array(), hb.offset());
  }

  /** {@code sums[j] = Σ_r z[r][j]}, adding rows in order so the result is fixed. */
  private static void columnSums(float[] z, int zo, int rows, int cols, float[] sums, int so) {
    java.util.Arrays.fill(sums, so, so + cols, 0f);
    for (int r = 0; r < rows; r++) {
      int row = zo + r * cols;
      for (int j = 0; j < cols; j++) {
        sums[so + j] += z[row + j];
      }
    }
  }

  @Override
  public void activationBackward(
      Activation act, DeviceBuffer activated, DeviceBuffer grad, int rows, int cols) {
    HostBuffer y = host(activated, rows * cols);
    HostBuffer g = host(grad, rows * cols);
    if (act == Activation.SOFTMAX) {
      ElementwiseOps.softmaxBackward(y.array(), y.offset(), g.array(), g.offset(), rows, cols);
    } else {
      ElementwiseOps.multiplyDerivative(
          act, y.array(), y.offset(), cols, g.array(), g.offset(), cols, rows, cols);
    }
  }

  @Override
  public void activationForward(
      Activation act, DeviceBuffer input, DeviceBuffer output, int rows, int cols) {
    HostBuffer in = host(input, rows * cols);
    HostBuffer out = host(output, rows * cols);
    int n = rows * cols;
    if (in.array() != out.array() || in.offset() != out.offset()) {
      System.arraycopy(in.array(), in.offset(), out.array(), out.offset(), n);
    }
    if (act == Activation.SOFTMAX) {
      ElementwiseOps.softmaxRows(out.array(), out.offset(), rows, cols);
      return;
    }
    float[] o = out.array();
    for (int i = out.offset(); i < out.offset() + n; i++) {
      o[i] = act.apply(o[i]);
    }
  }

  @Override
  public void dropoutForward(
      DeviceBuffer input,
      DeviceBuffer mask,
      DeviceBuffer output,
      int rows,
      int cols,
      float rate,
      long key,
      long[] rowIds) {
    HostBuffer in = host(input, rows * cols);
    HostBuffer m = host(mask, rows * cols);
    HostBuffer out = host(output, rows * cols);
    float[] ia = in.array();
    float[] ma = m.array();
    float[] oa = out.array();
    for (int r = 0; r < rows; r++) {
      int mo = m.offset() + r * cols;
      ElementwiseOps.dropoutRow(ma, mo, cols, rate, key, rowIds[r]);
      int io = in.offset() + r * cols;
      int oo = out.offset() + r * cols;
      for (int j = 0; j < cols; j++) {
        oa[oo + j] = ia[io + j] * ma[mo + j];
      }
    }
  }

  @Override
  public void multiply(DeviceBuffer target, DeviceBuffer factor, int length) {
    HostBuffer t = host(target, length);
    HostBuffer f = host(factor, length);
    float[] ta = t.array();
    float[] fa = f.array();
    int to = t.offset();
    int fo = f.offset();
    for (int i = 0; i < length; i++) {
      ta[to + i] *= fa[fo + i];
    }
  }

  @Override
  public double lossAndGradient(
      LossFunction loss,
      Activation act,
      DeviceBuffer logits,
      DeviceBuffer output,
      DeviceBuffer target,
      int rows,
      int cols,
      float gradScale,
      DeviceBuffer gradient) {
    HostBuffer z = host(logits, rows * cols);
    HostBuffer y = host(output, rows * cols);
    HostBuffer t = host(target, rows * loss.targetWidth(cols));
    HostBuffer g = host(gradient, rows * cols);
    return LossOps.lossAndGradient(
        loss,
        act,
        z.array(),
        z.offset(),
        y.array(),
        y.offset(),
        t.array(),
        t.offset(),
        rows,
        cols,
        gradScale,
        g.array(),
        g.offset());
  }

  @Override
  public void sgdStep(
      DeviceBuffer params,
      DeviceBuffer grads,
      DeviceBuffer velocity,
      int length,
      float lr,
      float momentum,
      boolean nesterov,
      float weightDecay) {
    HostBuffer p = host(params, length);
    HostBuffer g = host(grads, length);
    HostBuffer v = momentum == 0f ? null : host(velocity, length);
    forChunks(
        length,
        (from, to) -> OptimizerOps.sgd(p, g, v, from, to, lr, momentum, nesterov, weightDecay));
  }

  @Override
  public void adamStep(
      DeviceBuffer params,
      DeviceBuffer grads,
      DeviceBuffer m,
      DeviceBuffer v,
      int length,
      float lr,
      float beta1,
      float beta2,
      float epsilon,
      float weightDecay,
      float correction1,
      float correction2) {
    HostBuffer p = host(params, length);
    HostBuffer g = host(grads, length);
    HostBuffer hm = host(m, length);
    HostBuffer hv = host(v, length);
    forChunks(
        length,
        (from, to) ->
            OptimizerOps.adam(
                p,
                g,
                hm,
                hv,
                from,
                to,
                lr,
                beta1,
                beta2,
                epsilon,
                weightDecay,
                correction1,
                correction2));
  }

  /** A loop body over {@code [from, to)}. */
  private interface RangeBody {
    void run(int from, int to);
  }

  private void forChunks(int length, RangeBody body) {
    int parts = (length + CHUNK - 1) / CHUNK;
    pool.run(parts, p -> body.run(p * CHUNK, Math.min(length, (p + 1) * CHUNK)));
  }

  private static HostBuffer host(DeviceBuffer buffer, int atLeast) {
    HostBuffer h = HostBuffer.cast(buffer);
    if (h.length() < atLeast) {
      throw new IllegalArgumentException(
          "buffer of " + h.length() + " floats, the operation needs " + atLeast);
    }
    return h;
  }

  @Override
  public void close() {
    pool.close();
  }
}
