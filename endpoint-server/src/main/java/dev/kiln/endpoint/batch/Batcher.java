package dev.kiln.endpoint.batch;

import dev.kiln.endpoint.runner.ModelRunner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Dynamic batching: requests that arrive together run as one forward pass on one thread.
 *
 * <p>The batch forms as soon as the runner is free. It waits (at most {@code maxDelayMicros} after
 * its first request was queued) only while more requests are known to be on their way, that is
 * {@linkplain #announce() announced} by the HTTP layer when their headers arrived but not yet
 * submitted; so a lone request on an empty queue runs at once. The queue is bounded: a full queue
 * refuses with {@link Rejected.Reason#QUEUE_FULL}.
 */
public final class Batcher implements AutoCloseable {

  private final ModelRunner runner;
  private final BatchOptions options;
  private final BatchListener listener;
  private final int width;
  private final long maxDelayNanos;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final AtomicInteger announced = new AtomicInteger();
  private final Thread worker;
  private volatile int queued;
  private boolean closed;
  private float[] scratch;

  private record Pending(float[] rows, int count, long queuedAt, CompletableFuture<float[]> out) {}

  public Batcher(ModelRunner runner, BatchOptions options, BatchListener listener) {
    this.runner = runner;
    this.options = options;
    this.listener = listener;
    this.width = runner.signature().inputWidth();
    this.maxDelayNanos = TimeUnit.MICROSECONDS.toNanos(options.maxDelayMicros());
    this.worker = new Thread(this::loop, "kiln-batcher");
    worker.setDaemon(true);
    worker.start();
  }

  public BatchOptions options() {
    return options;
  }

  /** Requests waiting for the runner. */
  public int queueDepth() {
    return queued;
  }

  /** A request's headers arrived: a forming batch may wait for it. Pair with submit or withdraw. */
  public void announce() {
    announced.incrementAndGet();
  }

  /** An announced request will not be submitted (it was malformed, or the client left). */
  public void withdraw() {
    announced.decrementAndGet();
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues {@code count} rows for the next batch.
   *
   * @param announced whether {@link #announce()} was called for this request
   * @return the outputs, {@code count × output width}
   * @throws Rejected when the queue is full or the batcher is closed
   */
  public CompletableFuture<float[]> submit(float[] rows, int count, boolean announced) {
    if (rows.length < count * width) {
      throw new IllegalArgumentException(
          "expected " + count * width + " values for " + count + " rows, got " + rows.length);
    }
    CompletableFuture<float[]> out = new CompletableFuture<>();
    lock.lock();
    try {
      if (announced) {
        this.announced.decrementAndGet();
      }
      if (closed) {
        throw new Rejected(Rejected.Reason.SHUTTING_DOWN, "the server is shutting down");
      }
      if (queue.size() >= options.maxQueue()) {
        throw new Rejected(
            Rejected.Reason.QUEUE_FULL,
            "server overloaded: " + queue.size() + " requests are already queued; retry later");
      }
      queue.add(new Pending(rows, count, System.nanoTime(), out));
      queued = queue.size();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    return out;
  }

  private void loop() {
    List<Pending> batch = new ArrayList<>();
    while (true) {
      try {
        if (!nextBatch(batch)) {
          return;
        }
      } catch (InterruptedException e) {
        failAll(new IllegalStateException("the batcher was interrupted"));
        return;
      }
      run(batch);
      batch.clear();
    }
  }

  /** Blocks until a batch is ready; false once closed and drained. */
  private boolean nextBatch(List<Pending> batch) throws InterruptedException {
    lock.lock();
    try {
      while (queue.isEmpty()) {
        if (closed) {
          return false;
        }
        changed.await();
      }
      long deadline = queue.peekFirst().queuedAt() + maxDelayNanos;
      while (!closed && announced.get() > 0 && queuedRows() < options.maxBatchSize()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        changed.awaitNanos(left);
      }
      int rows = 0;
      while (!queue.isEmpty()) {
        Pending next = queue.peekFirst();
        if (!batch.isEmpty() && rows + next.count() > options.maxBatchSize()) {
          break;
        }
        batch.add(queue.pollFirst());
        rows += next.count();
      }
      queued = queue.size();
      return true;
    } finally {
      lock.unlock();
    }
  }

  private int queuedRows() {
    int rows = 0;
    for (Pending p : queue) {
      rows += p.count();
      if (rows >= options.maxBatchSize()) {
        break;
      }
    }
    return rows;
  }

  private void run(List<Pending> batch) {
    long start = System.nanoTime();
    int rows = 0;
    for (Pending p : batch) {
      rows += p.count();
    }
    float[] out;
    try {
      out = runner.run(gather(batch, rows), rows);
    } catch (RuntimeException | Error e) {
      for (Pending p : batch) {
        p.out().completeExceptionally(e);
      }
      return;
    }
    listener.batchRan(rows, batch.size(), System.nanoTime() - start);
    if (batch.size() == 1) {
      batch.get(0).out().complete(out);
      return;
    }
    int outWidth = out.length / rows;
    int offset = 0;
    for (Pending p : batch) {
      int len = p.count() * outWidth;
      float[] mine = new float[len];
      System.arraycopy(out, offset, mine, 0, len);
      offset += len;
      p.out().complete(mine);
    }
  }

  /** The rows of a batch as one array; a single request's own array is used as is. */
  private float[] gather(List<Pending> batch, int rows) {
    if (batch.size() == 1) {
      return batch.get(0).rows();
    }
    int needed = rows * width;
    if (scratch == null || scratch.length < needed) {
      scratch = new float[needed];
    }
    int offset = 0;
    for (Pending p : batch) {
      int len = p.count() * width;
      System.arraycopy(p.rows(), 0, scratch, offset, len);
      offset += len;
    }
    return scratch;
  }

  private void failAll(Throwable error) {
    lock.lock();
    try {
      closed = true;
      for (Pending p : queue) {
        p.out().completeExceptionally(error);
      }
      queue.clear();
      queued = 0;
    } finally {
      lock.unlock();
    }
  }

  /** Refuses new requests; those already queued still run. */
  public void shutdown() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits for the queued requests to finish; true when they did within the timeout. */
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    worker.join(Math.max(1, unit.toMillis(timeout)));
    return !worker.isAlive();
  }

  /** Shuts down and waits up to 30 s for queued requests. */
  @Override
  public void close() {
    shutdown();
    try {
      awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
