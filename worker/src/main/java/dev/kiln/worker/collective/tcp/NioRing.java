package dev.kiln.worker.collective.tcp;

import dev.kiln.worker.collective.CollectiveException;
import dev.kiln.worker.collective.PeerGroup;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * The ring's data movement on one thread with non-blocking sockets: it writes to the right peer
 * whenever the socket takes bytes and reads from the left one whenever bytes arrived, reducing each
 * chunk as it completes and queueing it to be forwarded. No hand-off between threads, so ranks that
 * outnumber cores do not pay a context switch per chunk.
 */
final class NioRing implements AutoCloseable {
  /** What to do with a received chunk. */
  interface ChunkSink {
    /** Chunk of {@code floats} at {@code off} arrived in {@code in}; returns whether to forward. */
    boolean accept(FloatBuffer in, int off, int floats);
  }

  /** The receive schedule: successive (offset, length) chunks, or length -1 when done. */
  interface Schedule {
    /** Advances to the next chunk; false when there is none. */
    boolean next();

    int offset();

    int length();
  }

  private final PeerGroup group;
  private final SocketChannel left;
  private final SocketChannel right;
  private final String leftName;
  private final String rightName;
  private final Selector selector;
  private final SelectionKey leftKey;
  private final SelectionKey rightKey;
  private final ByteBuffer sendBuf;
  private final FloatBuffer sendFloats;
  private final ByteBuffer recvBuf;
  private final FloatBuffer recvFloats;
  private int[] queue = new int[64];
  private int head;
  private int tail;
  private float[] sendData;
  private long bytesSent;

  NioRing(PeerGroup group, SocketChannel left, SocketChannel right, int chunkBytes)
      throws IOException {
    this.group = group;
    this.left = left;
    this.right = right;
    int n = group.worldSize();
    this.leftName = group.peer((group.rank() + n - 1) % n).describe();
    this.rightName = group.peer((group.rank() + 1) % n).describe();
    left.configureBlocking(false);
    right.configureBlocking(false);
    this.selector = Selector.open();
    this.leftKey = left.register(selector, 0);
    this.rightKey = right.register(selector, 0);
    this.sendBuf = ByteBuffer.allocateDirect(chunkBytes).order(ByteOrder.nativeOrder());
    this.sendFloats = sendBuf.asFloatBuffer();
    this.recvBuf = ByteBuffer.allocateDirect(chunkBytes).order(ByteOrder.nativeOrder());
    this.recvFloats = recvBuf.asFloatBuffer();
    sendBuf.limit(0);
  }

  long bytesSent() {
    return bytesSent;
  }

  /** Queues {@code data[off, off+len)} (at most one chunk) for the right peer. */
  void send(float[] data, int off, int len) {
    sendData = data;
    if (tail + 2 > queue.length) {
      int live = tail - head;
      int[] q = live + 2 > queue.length ? new int[queue.length * 2] : queue;
      System.arraycopy(queue, head, q, 0, live);
      queue = q;
      head = 0;
      tail = live;
    }
    queue[tail++] = off;
    queue[tail++] = len;
  }

  /** Moves bytes until every chunk of {@code schedule} arrived and every queued chunk went out. */
  void run(Schedule schedule, ChunkSink sink) {
    boolean receiving = schedule.next();
    if (receiving) {
      recvBuf.clear().limit(schedule.length() * Float.BYTES);
    }
    try {
      while (receiving || sendBuf.hasRemaining() || head < tail) {
        boolean progress = false;
        if (!sendBuf.hasRemaining() && head < tail) {
          int off = queue[head++];
          int len = queue[head++];
          sendFloats.put(0, sendData, off, len);
          sendBuf.clear().limit(len * Float.BYTES);
        }
        if (sendBuf.hasRemaining()) {
          int k = right.write(sendBuf);
          bytesSent += k;
          progress = k > 0;
        }
        if (receiving) {
          int k = left.read(recvBuf);
          if (k < 0) {
            throw new EOFException("left peer " + leftName + " closed the data connection");
          }
          progress |= k > 0;
          if (!recvBuf.hasRemaining()) {
            if (sink.accept(recvFloats, schedule.offset(), schedule.length())) {
              send(sendData, schedule.offset(), schedule.length());
            }
            receiving = schedule.next();
            if (receiving) {
              recvBuf.clear().limit(schedule.length() * Float.BYTES);
            }
          }
        }
        if (progress) {
          group.progress();
        } else {
          await(receiving);
        }
      }
    } catch (IOException e) {
      head = tail = 0;
      sendBuf.limit(0);
      if (group.abortReason() != null) {
        throw new CollectiveException(group.abortReason(), e);
      }
      throw group.fail(
          "rank "
              + group.rank()
              + ": data exchange with left peer "
              + leftName
              + " / right peer "
              + rightName
              + " failed: "
              + e,
          e);
    }
  }

  /** Sets the data array the queued chunks refer to (before the first {@link #send}). */
  void data(float[] data) {
    sendData = data;
  }

  private void await(boolean receiving) throws IOException {
    boolean sending = sendBuf.hasRemaining();
    leftKey.interestOps(receiving ? SelectionKey.OP_READ : 0);
    rightKey.interestOps(sending ? SelectionKey.OP_WRITE : 0);
    group.waitingOn(
        receiving ? "data from left peer " + leftName : "right peer " + rightName + " to read");
    selector.select(100);
    selector.selectedKeys().clear();
    String reason = group.abortReason();
    if (reason != null) {
      throw new CollectiveException(reason);
    }
  }

  @Override
  public void close() {
    try {
      selector.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
