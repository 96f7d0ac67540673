package dev.kiln.model.compute.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * A fork-join for short compute bursts: the caller plus {@code threads - 1} daemon workers claim
 * parts of a job from a shared counter. Workers spin briefly between jobs (a training step issues
 * bursts microseconds apart) and then park. One job runs at a time: a caller that finds the pool
 * busy runs its parts itself, so concurrent callers never wait on each other and never exceed the
 * thread cap. Results must not depend on which thread runs a part.
 */
final class WorkerPool implements AutoCloseable {
  /** How long a worker or the caller spins before it parks. */
  private static final long SPIN_NANOS = 100_000;

  private final int threads;
  private final Worker[] workers;
  private final ReentrantLock busy = new ReentrantLock();
  private volatile Job job;
  private volatile boolean closed;

  WorkerPool(int threads, String name) {
    this.threads = threads;
    this.workers = new Worker[threads - 1];
    for (int i = 0; i < workers.length; i++) {
      workers[i] = new Worker();
      Thread t = new Thread(workers[i], name + "-" + (i + 1));
      t.setDaemon(true);
      workers[i].thread = t;
      t.start();
    }
  }

  int threads() {
    return threads;
  }

  /** Runs {@code body} for every part in {@code [0, parts)} and returns when all are done. */
  void run(int parts, IntConsumer body) {
    if (parts <= 1 || workers.length == 0 || closed || !busy.tryLock()) {
      for (int p = 0; p < parts; p++) {
        body.accept(p);
      }
      return;
    }
    try {
      Job j = new Job(parts, body, Thread.currentThread());
      job = j;
      for (Worker w : workers) {
        if (w.parked) {
          LockSupport.unpark(w.thread);
        }
      }
      j.work();
      j.await();
      job = null;
      j.rethrow();
    } finally {
      busy.unlock();
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Worker w : workers) {
      LockSupport.unpark(w.thread);
    }
  }

  private final class Worker implements Runnable {
    volatile boolean parked;
    Thread thread;
    private Job last;

    @Override
    public void run() {
      while (!closed) {
        Job j = awaitJob();
        if (j != null) {
          last = j;
          j.work();
        }
      }
    }

    private Job awaitJob() {
      long start = System.nanoTime();
      for (int spin = 1; ; spin++) {
        Job j = job;
        if (j != null && j != last) {
          return j;
        }
        Thread.onSpinWait();
        if ((spin & 63) == 0 && System.nanoTime() - start > SPIN_NANOS) {
          break;
        }
      }
      parked = true;
      try {
        while (!closed) {
          Job j = job;
          if (j != null && j != last) {
            return j;
          }
          LockSupport.park(this);
        }
        return null;
      } finally {
        parked = false;
      }
    }
  }

  private static final class Job {
    final int parts;
    final IntConsumer body;
    final Thread caller;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger done = new AtomicInteger();
    volatile boolean callerParked;
    volatile Throwable failure;

    Job(int parts, IntConsumer body, Thread caller) {
      this.parts = parts;
      this.body = body;
      this.caller = caller;
    }

    void work() {
      int p;
      while ((p = next.getAndIncrement()) < parts) {
        try {
          body.accept(p);
        } catch (Throwable t) {
          failure = t;
        }
        if (done.incrementAndGet() == parts && callerParked) {
          LockSupport.unpark(caller);
        }
      }
    }

    void await() {
      long start = System.nanoTime();
      for (int spin = 1; ; spin++) {
        if (done.get() == parts) {
          return;
        }
        Thread.onSpinWait();
        if ((spin & 63) == 0 && System.nanoTime() - start > SPIN_NANOS) {
          break;
        }
      }
      callerParked = true;
      while (done.get() != parts) {
        LockSupport.park(this);
      }
    }

    void rethrow() {
      Throwable t = failure;
      if (t instanceof RuntimeException) {
        throw (RuntimeException) t;
      }
      if (t instanceof Error) {
        throw (Error) t;
      }
      if (t != null) {
        throw new IllegalStateException(t);
      }
    }
  }
}
