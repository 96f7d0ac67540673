package dev.kiln.model.compute.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoD;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD32;

import dev.kiln.model.Activation;
import dev.kiln.model.LossFunction;
import dev.kiln.model.compute.ComputeBackend;
import dev.kiln.model.compute.DeviceBuffer;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * The {@code cuda} backend: buffers live in device memory and every operation is a kernel of {@code
 * kernels.cu} on the device's primary context, launched in order on the default stream. Only copies
 * to the host and the loss (whose per-row values are summed on the host in row order) wait for the
 * device. Reductions run in a fixed order, so results are the same run to run.
 */
public final class CudaBackend implements ComputeBackend {
  private static final int GEMM_TILE = 64;
  private static final int ROW_BLOCK = 128;

  private final CudaDevice device;
  private final int threads;
  private final CudaKernels kernels;
  private final Object scratchLock = new Object();
  private CudaBuffer rowLosses;
  private CudaBuffer rowIds;

  /** A backend on {@code device}, which it owns and closes. */
  public CudaBackend(CudaDevice device, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.device = device;
    this.threads = threads;
    device.makeCurrent();
    this.kernels = new CudaKernels();
  }

  CudaDevice device() {
    return device;
  }

  @Override
  public String name() {
    return "cuda";
  }

  @Override
  public String description() {
    return "cuda/" + device.name();
  }

  /** The GPU's FP32 non-tensor peak in FLOP/s (0 when the driver does not say its clock). */
  public double fp32PeakFlops() {
    return device.fp32PeakFlops();
  }

  @Override
  public int threads() {
    return threads;
  }

  @Override
  public boolean isHostMemory() {
    return false;
  }

  @Override
  public DeviceBuffer allocate(int length) {
    return allocateBytes(length, (long) Math.max(length, 1) * Float.BYTES, length);
  }

  private CudaBuffer allocateBytes(int length, long bytes, int zeroWords) {
    device.makeCurrent();
    CUdeviceptr p = new CUdeviceptr();
    cuMemAlloc(p, bytes);
    cuMemsetD32(p, 0, Math.max(zeroWords, 1));
    return new CudaBuffer(this, p, length, true);
  }

  @Override
  public void copyFromHost(float[] src, int srcOffset, DeviceBuffer dst, int length) {
    CudaBuffer d = cuda(dst, length);
    checkRange(src.length, srcOffset, length);
    device.makeCurrent();
    cuMemcpyHtoD(
        d.pointer(), Pointer.to(src).withByteOffset((long) srcOffset * 4), (long) length * 4);
  }

  @Override
  public void copyToHost(DeviceBuffer src, float[] dst, int dstOffset, int length) {
    CudaBuffer s = cuda(src, length);
    checkRange(dst.length, dstOffset, length);
    device.makeCurrent();
    cuMemcpyDtoH(
        Pointer.to(dst).withByteOffset((long) dstOffset * 4), s.pointer(), (long) length * 4);
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
    if (m == 0 || n == 0) {
      return;
    }
    device.makeCurrent();
    kernels.launch(
        "sgemm",
        (n + GEMM_TILE - 1) / GEMM_TILE,
        (m + GEMM_TILE - 1) / GEMM_TILE,
        256,
        transA,
        transB,
        m,
        n,
        k,
        alpha,
        cuda(a, 0),
        lda,
        cuda(b, 0),
        ldb,
        beta,
        cuda(c, 0),
        ldc);
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
    cuda(x, rows * in);
    cuda(w, in * out);
    cuda(bias, out);
    CudaBuffer cy = cuda(y, rows * out);
    gemm(false, false, rows, out, in, 1f, x, in, w, out, 0f, y, out);
    kernels.launch1d(
        "bias_activation", (long) rows * out, cy, cuda(bias, out), rows, out, act.ordinal());
    if (act == Activation.SOFTMAX) {
      rowKernel("softmax_rows", rows, cy, rows, out);
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
    cuda(dz, rows * out);
    cuda(w, in * out);
    cuda(dx, rows * in);
    gemm(false, true, rows, in, out, 1f, dz, out, w, out, 0f, dx, in);
    if (act != null && act != Activation.LINEAR) {
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
    cuda(x, rows * in);
    CudaBuffer z = cuda(dz, rows * out);
    cuda(dw, in * out);
    CudaBuffer b = cuda(db, out);
    gemm(true, false, in, out, rows, 1f, x, in, dz, out, 0f, dw, out);
    device.makeCurrent();
    kernels.launch("column_sums", (out + ROW_BLOCK - 1) / ROW_BLOCK, 1, ROW_BLOCK, z, b, rows, out);
  }

  @Override
  public void activationBackward(
      Activation act, DeviceBuffer activated, DeviceBuffer grad, int rows, int cols) {
    CudaBuffer y = cuda(activated, rows * cols);
    CudaBuffer g = cuda(grad, rows * cols);
    device.makeCurrent();
    if (act == Activation.SOFTMAX) {
      rowKernel("softmax_backward", rows, y, g, rows, cols);
    } else if (act != Activation.LINEAR) {
      kernels.launch1d(
          "activation_gradient", (long) rows * cols, y, g, (long) rows * cols, act.ordinal());
    }
  }

  @Override
  public void activationForward(
      Activation act, DeviceBuffer input, DeviceBuffer output, int rows, int cols) {
    CudaBuffer in = cuda(input, rows * cols);
    CudaBuffer out = cuda(output, rows * cols);
    long n = (long) rows * cols;
    device.makeCurrent();
    if (act == Activation.SOFTMAX) {
      if (!in.pointer().equals(out.pointer())) {
        cuMemcpyDtoD(out.pointer(), in.pointer(), n * 4);
      }
      rowKernel("softmax_rows", rows, out, rows, cols);
    } else {
      kernels.launch1d("activation_forward", n, in, out, n, act.ordinal());
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
      long[] ids) {
    CudaBuffer in = cuda(input, rows * cols);
    CudaBuffer m = cuda(mask, rows * cols);
    CudaBuffer out = cuda(output, rows * cols);
    if (ids.length < rows) {
      throw new IllegalArgumentException("rowIds has " + ids.length + " < " + rows + " entries");
    }
    synchronized (scratchLock) {
      device.makeCurrent();
      rowIds = grow(rowIds, rows);
      cuMemcpyHtoD(rowIds.pointer(), Pointer.to(ids), (long) rows * Long.BYTES);
      kernels.launch1d(
          "dropout_forward", (long) rows * cols, in, m, out, rows, cols, rate, key, rowIds);
    }
  }

  @Override
  public void multiply(DeviceBuffer target, DeviceBuffer factor, int length) {
    device.makeCurrent();
    kernels.launch1d("multiply", length, cuda(target, length), cuda(factor, length), (long) length);
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
    CudaBuffer z = cuda(logits, rows * cols);
    CudaBuffer y = cuda(output, rows * cols);
    CudaBuffer t = cuda(target, rows * loss.targetWidth(cols));
    CudaBuffer g = cuda(gradient, rows * cols);
    double[] perRow = new double[rows];
    synchronized (scratchLock) {
      device.makeCurrent();
      rowLosses = grow(rowLosses, rows);
      switch (loss) {
        case CROSS_ENTROPY ->
            rowKernel("cross_entropy", rows, z, y, t, rows, cols, gradScale, g, rowLosses);
        case BINARY_CROSS_ENTROPY ->
            rowKernel("binary_cross_entropy", rows, z, y, t, rows, cols, gradScale, g, rowLosses);
        default -> {
          rowKernel(
              "mean_squared_error", rows, y, t, rows, cols, gradScale, act.ordinal(), g, rowLosses);
          if (act == Activation.SOFTMAX) {
            rowKernel("softmax_backward", rows, y, g, rows, cols);
          }
        }
      }
      cuMemcpyDtoH(Pointer.to(perRow), rowLosses.pointer(), (long) rows * Double.BYTES);
    }
    double total = 0;
    for (int r = 0; r < rows; r++) {
      if (perRow[r] < 0) {
        throw badLabel(t, r, cols);
      }
      total += perRow[r];
    }
    return total;
  }

  private IllegalArgumentException badLabel(CudaBuffer targets, int row, int cols) {
    float[] value = new float[1];
    cuMemcpyDtoH(Pointer.to(value), targets.pointer().withByteOffset((long) row * 4), 4);
    return new IllegalArgumentException(
        "row "
            + row
            + ": label "
            + value[0]
            + " is not a class index in [0, "
            + cols
            + ") of the output layer");
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
    Object v = momentum == 0f ? new CUdeviceptr() : cuda(velocity, length);
    device.makeCurrent();
    kernels.launch1d(
        "sgd_step",
        length,
        cuda(params, length),
        cuda(grads, length),
        v,
        (long) length,
        lr,
        momentum,
        nesterov,
        weightDecay);
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
    device.makeCurrent();
    kernels.launch1d(
        "adam_step",
        length,
        cuda(params, length),
        cuda(grads, length),
        cuda(m, length),
        cuda(v, length),
        (long) length,
        lr,
        beta1,
        beta2,
        epsilon,
        weightDecay,
        correction1,
        correction2);
  }

  /** Waits until every launched kernel has finished (for timing). */
  public void synchronize() {
    device.makeCurrent();
    cuCtxSynchronize();
  }

  /** One thread per row. */
  private void rowKernel(String name, int rows, Object... args) {
    device.makeCurrent();
    kernels.launch(name, (rows + ROW_BLOCK - 1) / ROW_BLOCK, 1, ROW_BLOCK, args);
  }

  /** A scratch buffer of at least {@code words} 8-byte values. */
  private CudaBuffer grow(CudaBuffer current, int words) {
    if (current != null && current.length() >= words) {
      return current;
    }
    if (current != null) {
      current.close();
    }
    int n = Math.max(words, 256);
    return allocateBytes(n, (long) n * 8, n * 2);
  }

  private CudaBuffer cuda(DeviceBuffer buffer, int atLeast) {
    if (!(buffer instanceof CudaBuffer c) || c.owner() != this) {
      throw new IllegalArgumentException(
          "buffer "
              + (buffer == null ? "null" : buffer.getClass().getName())
              + " was not allocated by this cuda backend");
    }
    if (c.length() < atLeast) {
      throw new IllegalArgumentException(
          "buffer of " + c.length() + " floats, the operation needs " + atLeast);
    }
    return c;
  }

  private static void checkRange(int arrayLength, int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > arrayLength) {
      throw new IndexOutOfBoundsException(
          "[" + offset + ", " + (offset + length) + ") of an array of " + arrayLength);
    }
  }

  @Override
  public void close() {
    synchronized (scratchLock) {
      if (rowLosses != null) {
        rowLosses.close();
      }
      if (rowIds != null) {
        rowIds.close();
      }
    }
    device.makeCurrent();
    kernels.close();
    device.close();
  }
}
