package dev.kiln.endpoint.runner;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A runner with an obvious forward pass and controls for tests: output row r is the softmax of
 * {@code [sum(row r), 0]}, so the predicted label is "pos" when the row sums above 0; it records
 * every batch's size, and can hold batches at a gate until the test opens it.
 */
public final class FakeRunner implements ModelRunner {

  private final ModelSignature signature;
  private final List<Integer> batches = new CopyOnWriteArrayList<>();
  private volatile Semaphore gate;
  private final Semaphore entered = new Semaphore(0);
  private volatile RuntimeException failure;
  private final CountDownLatch closed = new CountDownLatch(1);

  public FakeRunner(int width) {
    this.signature =
        new ModelSignature(
            "fake",
            "kiln",
            "input",
            "FP32",
            new int[] {width},
            "probabilities",
            new int[] {2},
            List.of("pos", "neg"),
            true);
  }

  /** From now on each batch waits at the gate until {@link #release(int)}. */
  public FakeRunner gated() {
    gate = new Semaphore(0);
    return this;
  }

  /** Lets {@code batches} held batches run. */
  public void release(int batches) {
    gate.release(batches);
  }

  /** Opens the gate for good. */
  public void open() {
    Semaphore g = gate;
    gate = null;
    if (g != null) {
      g.release(Integer.MAX_VALUE / 2);
    }
  }

  /** Waits until a batch has entered {@link #run} (it may be held at the gate). */
  public void awaitEntered() throws InterruptedException {
    if (!entered.tryAcquire(30, TimeUnit.SECONDS)) {
      throw new AssertionError("no batch reached the runner");
    }
  }

  public void failWith(RuntimeException e) {
    failure = e;
  }

  public List<Integer> batchSizes() {
    return List.copyOf(batches);
  }

  public boolean isClosed() {
    return closed.getCount() == 0;
  }

  @Override
  public ModelSignature signature() {
    return signature;
  }

  @Override
  public float[] run(float[] batch, int rows) {
    entered.release();
    Semaphore g = gate;
    if (g != null) {
      g.acquireUninterruptibly();
    }
    batches.add(rows);
    if (failure != null) {
      throw failure;
    }
    int width = signature.inputWidth();
    float[] out = new float[rows * 2];
    for (int r = 0; r < rows; r++) {
      double sum = 0;
      for (int i = 0; i < width; i++) {
        sum += batch[r * width + i];
      }
      double e = Math.exp(-Math.abs(sum));
      double big = 1 / (1 + e);
      out[r * 2] = (float) (sum >= 0 ? big : 1 - big);
      out[r * 2 + 1] = 1 - out[r * 2];
    }
    return out;
  }

  @Override
  public void close() {
    closed.countDown();
  }
}
