package dev.kiln.worker.collective.tcp;

import dev.kiln.worker.collective.CollectiveException;
import dev.kiln.worker.collective.PeerGroup;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sending half of a ring link, on its own thread so a rank sends chunk k+1 while it receives
 * and reduces chunk k. Sends run strictly in the order they were queued.
 */
final class RingSender implements Runnable {
  private record Task(float[] data, int offset, int length) {}

  private static final Task STOP = new Task(null, 0, 0);

  private final PeerGroup group;
  private final SocketChannel channel;
  private final String peerName;
  private final ByteBuffer buffer;
  private final FloatBuffer floats;
  private final ArrayDeque<Task> queue = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition hasWork = lock.newCondition();
  private final Condition drained = lock.newCondition();
  private boolean busy;
  private volatile long bytesSent;

  RingSender(PeerGroup group, SocketChannel channel, String peerName, int chunkBytes) {
    this.group = group;
    this.channel = channel;
    this.peerName = peerName;
    this.buffer = ByteBuffer.allocateDirect(chunkBytes).order(ByteOrder.nativeOrder());
    this.floats = buffer.asFloatBuffer();
  }

  long bytesSent() {
    return bytesSent;
  }

  /** Queues {@code data[offset, offset+length)} (at most one chunk) for sending. */
  void send(float[] data, int offset, int length) {
    enqueue(new Task(data, offset, length));
  }

  void stop() {
    enqueue(STOP);
  }

  private void enqueue(Task t) {
    lock.lock();
    try {
      queue.addLast(t);
      hasWork.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Blocks until everything queued went out; throws the group's failure if it aborts meanwhile. */
  void awaitDrained() {
    lock.lock();
    try {
      while (busy || !queue.isEmpty()) {
        if (group.abortReason() != null) {
          throw new CollectiveException(group.abortReason());
        }
        drained.await(50, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CollectiveException("interrupted while sending to " + peerName);
    } finally {
      lock.unlock();
    }
    if (group.abortReason() != null) {
      throw new CollectiveException(group.abortReason());
    }
  }

  @Override
  public void run() {
    while (true) {
      Task t = next();
      if (t == STOP) {
        return;
      }
      try {
        write(t);
      } catch (IOException e) {
        if (group.abortReason() == null) {
          group.fail(
              "rank " + group.rank() + ": sending to right peer " + peerName + " failed: " + e, e);
        }
        discardQueue();
        return;
      } finally {
        lock.lock();
        try {
          busy = false;
          if (queue.isEmpty()) {
            drained.signalAll();
          }
        } finally {
          lock.unlock();
        }
      }
    }
  }

  private Task next() {
    lock.lock();
    try {
      while (queue.isEmpty()) {
        hasWork.awaitUninterruptibly();
      }
      Task t = queue.pollFirst();
      busy = t != STOP;
      return t;
    } finally {
      lock.unlock();
    }
  }

  private void write(Task t) throws IOException {
    floats.put(0, t.data, t.offset, t.length);
    buffer.clear().limit(t.length * Float.BYTES);
    while (buffer.hasRemaining()) {
      int n = channel.write(buffer);
      bytesSent += n;
      group.progress();
    }
  }

  private void discardQueue() {
    lock.lock();
    try {
      queue.clear();
      drained.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
