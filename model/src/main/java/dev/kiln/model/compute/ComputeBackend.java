package dev.kiln.model.compute;

import dev.kiln.model.Activation;
import dev.kiln.model.LossFunction;

/**
 * The compute-backend SPI: every numeric operation training and inference need, over {@link
 * DeviceBuffer}s that may live on a device. Matrices are dense row-major float32 with the leading
 * dimension equal to the column count unless a call says otherwise.
 *
 * <p>Implementations must be deterministic: the same inputs give bit-identical outputs for any
 * thread count (reductions run in a fixed order). Calls may come from several threads at once.
 */
public interface ComputeBackend extends AutoCloseable {

  /** The name it is selected by, e.g. {@code cpu} or {@code cuda}. */
  String name();

  /** The name plus what it runs on, for logs and benchmarks (e.g. {@code cpu/vector512}). */
  default String description() {
    return name();
  }

  /** How many threads a call may use at most. */
  int threads();

  /** True when buffers are plain Java arrays ({@link HostBuffer}) that callers may share. */
  boolean isHostMemory();

  /** A zero-filled buffer of {@code length} floats. */
  DeviceBuffer allocate(int length);

  /** Copies {@code length} floats from a host array into a buffer. */
  void copyFromHost(float[] src, int srcOffset, DeviceBuffer dst, int length);

  /** Copies {@code length} floats from a buffer into a host array. */
  void copyToHost(DeviceBuffer src, float[] dst, int dstOffset, int length);

  /**
   * {@code C = alpha * op(A) * op(B) + beta * C} with {@code op(A)} m×k and {@code op(B)} k×n; as
   * BLAS sgemm with explicit leading dimensions. With {@code beta == 0} C is not read.
   */
  void gemm(
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
      int ldc);

  /**
   * A dense layer forward: {@code y = act(x · w + bias)} with x rows×in, w in×out (row-major), bias
   * out, y rows×out. Softmax is applied per row.
   */
  void denseForward(
      DeviceBuffer x,
      int rows,
      int in,
      DeviceBuffer w,
      DeviceBuffer bias,
      int out,
      Activation act,
      DeviceBuffer y);

  /**
   * Back-propagates through a dense layer's input: {@code dx = (dz · wᵀ) ⊙ act'(activated)}, where
   * {@code activated} (rows×in) is the output of the previous layer's elementwise activation {@code
   * act}; pass {@code act == null} (and {@code activated == null}) to skip the product.
   */
  void denseBackwardData(
      DeviceBuffer dz,
      int rows,
      int out,
      DeviceBuffer w,
      int in,
      DeviceBuffer dx,
      Activation act,
      DeviceBuffer activated);

  /**
   * Weight gradients of a dense layer: {@code dw = xᵀ · dz} (in×out) and {@code db = Σ_rows dz}.
   */
  void denseBackwardWeights(
      DeviceBuffer x, int rows, int in, DeviceBuffer dz, int out, DeviceBuffer dw, DeviceBuffer db);

  /**
   * Turns a gradient with respect to an activation's output into one with respect to its input, in
   * place: {@code grad ← grad ⊙ act'}; for softmax the row Jacobian product.
   */
  void activationBackward(
      Activation act, DeviceBuffer activated, DeviceBuffer grad, int rows, int cols);

  /** Applies an activation: {@code output = act(input)}, rows×cols (softmax per row). */
  void activationForward(
      Activation act, DeviceBuffer input, DeviceBuffer output, int rows, int cols);

  /**
   * Inverted dropout: fills {@code mask} rows×cols with {@code 0} or {@code 1/(1-rate)} and writes
   * {@code output = input ⊙ mask}. Row r's mask depends only on {@code (key, rowIds[r])}, so it
   * does not depend on how samples are spread over ranks or threads.
   */
  void dropoutForward(
      DeviceBuffer input,
      DeviceBuffer mask,
      DeviceBuffer output,
      int rows,
      int cols,
      float rate,
      long key,
      long[] rowIds);

  /** {@code target ← target ⊙ factor} over {@code length} floats. */
  void multiply(DeviceBuffer target, DeviceBuffer factor, int length);

  /**
   * The loss summed over rows, and the gradient with respect to the last layer's pre-activation,
   * scaled by {@code gradScale}. {@code logits} and {@code output} are the last layer's values
   * before and after {@code act}; {@code target} holds one class index per row for cross entropy,
   * else rows×cols values.
   */
  double lossAndGradient(
      LossFunction loss,
      Activation act,
      DeviceBuffer logits,
      DeviceBuffer output,
      DeviceBuffer target,
      int rows,
      int cols,
      float gradScale,
      DeviceBuffer gradient);

  /**
   * SGD as PyTorch defines it: {@code g = grad + wd·p; v = μ·v + g; p -= lr·(nesterov ? g + μ·v :
   * v)}; {@code velocity} is ignored (may be null) when {@code momentum == 0}.
   */
  void sgdStep(
      DeviceBuffer params,
      DeviceBuffer grads,
      DeviceBuffer velocity,
      int length,
      float lr,
      float momentum,
      boolean nesterov,
      float weightDecay);

  /**
   * Adam with decoupled weight decay: {@code m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²; p -=
   * lr·(m/c1 / (sqrt(v/c2) + ε) + wd·p)} with bias corrections {@code c1 = 1-β1^t, c2 = 1-β2^t}.
   */
  void adamStep(
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
      float correction2);

  /** Releases threads and device memory. */
  @Override
  void close();
}
