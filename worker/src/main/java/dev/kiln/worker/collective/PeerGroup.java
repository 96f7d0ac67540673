package dev.kiln.worker.collective;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A joined gang: the peer table, the control links (rank 0 to every peer, a star used only for
 * control), and the failure machinery every backend shares.
 *
 * <p>Failures are detected three ways, all bounded by {@link CollectiveConfig#timeout()}: a control
 * link that ends without a goodbye (a process died: the kernel closes its sockets), a control link
 * silent for longer than the timeout (a process hung), and a data-plane operation without progress
 * for longer than the timeout plus a grace period. Rank 0 arbitrates: other ranks propose their
 * local reasons to it, a reason from a control link (which names the dead or hung peer) wins over
 * data-plane echoes, and the verdict travels to every rank, so every rank fails with the same
 * message naming the culprit.
 */
public final class PeerGroup implements AutoCloseable {
  private final CollectiveConfig config;
  private final List<Peer> peers;
  private final String session;
  private final List<ControlLink> links;
  private final AtomicReference<String> abortReason = new AtomicReference<>();
  private final List<Runnable> abortListeners = new CopyOnWriteArrayList<>();
  private final long timeoutNanos;
  private volatile boolean closed;
  private final Object broadcast = new Object();
  private boolean decided;
  private volatile boolean started;
  private volatile Thread watchdog;
  private volatile boolean inOp;
  private volatile String opName = "";
  private volatile String waitingOn = "";
  private volatile long lastProgressNanos;
  private long stallProposedNanos;

  PeerGroup(CollectiveConfig config, List<Peer> peers, String session, List<ControlLink> links) {
    this.config = config;
    this.peers = List.copyOf(peers);
    this.session = session;
    this.links = List.copyOf(links);
    this.timeoutNanos = config.timeout().toNanos();
  }

  public CollectiveConfig config() {
    return config;
  }

  public int rank() {
    return config.rank();
  }

  public int worldSize() {
    return config.worldSize();
  }

  /** The peer with rank {@code r}, as the rendezvous recorded it. */
  public Peer peer(int r) {
    return peers.get(r);
  }

  /** A random token shared by this gang only (names shared files, authenticates data links). */
  public String session() {
    return session;
  }

  /** The collective timeout. */
  public Duration timeout() {
    return config.timeout();
  }

  /**
   * Blocks until every rank called it, over the control links. Only during setup, before {@link
   * #start()}: afterwards the monitors own the links' input.
   */
  public void controlBarrier() {
    if (started) {
      throw new IllegalStateException("controlBarrier only before start()");
    }
    try {
      for (ControlLink l : links) {
        if (rank() != 0) {
          l.send(ControlLink.SYNC, null);
        }
        l.socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeoutNanos / 1_000_000));
        byte b = l.in.readByte();
        if (b != ControlLink.SYNC) {
          throw new CollectiveException(
              "protocol error: expected SYNC from " + l.peer.describe() + ", got " + b);
        }
        l.socket.setSoTimeout(0);
      }
      if (rank() == 0) {
        for (ControlLink l : links) {
          l.send(ControlLink.SYNC, null);
        }
      }
    } catch (IOException e) {
      throw new CollectiveException("setup barrier failed: " + e, e);
    }
  }

  /** Starts the control monitors and the watchdog; call once the backend is connected. */
  public void start() {
    started = true;
    for (ControlLink l : links) {
      l.lastSeenNanos = System.nanoTime();
      Thread t = new Thread(() -> monitor(l), "kiln-control-" + l.peer.rank());
      t.setDaemon(true);
      t.start();
    }
    Thread w = new Thread(this::watch, "kiln-collective-watchdog");
    w.setDaemon(true);
    w.start();
    watchdog = w;
  }

  /** Runs {@code r} once when the group aborts (e.g. to close data sockets and wake I/O). */
  public void onAbort(Runnable r) {
    abortListeners.add(r);
    if (abortReason.get() != null) {
      r.run();
    }
  }

  /** Throws if the group aborted or was closed. */
  public void checkUsable() {
    String reason = abortReason.get();
    if (reason != null) {
      throw new CollectiveException(reason);
    }
    if (closed) {
      throw new IllegalStateException("collective is closed");
    }
  }

  /** The abort reason, or null while healthy. */
  public String abortReason() {
    return abortReason.get();
  }

  /** Marks the start of a data-plane operation, for the stall watchdog. */
  public void beginOp(String name) {
    checkUsable();
    opName = name;
    waitingOn = "";
    lastProgressNanos = System.nanoTime();
    inOp = true;
  }

  /** Records progress (bytes moved); resets the stall clock. */
  public void progress() {
    lastProgressNanos = System.nanoTime();
  }

  /** What the operation is blocked on right now, e.g. "data from left peer rank 3 (...)". */
  public void waitingOn(String what) {
    waitingOn = what;
  }

  public void endOp() {
    inOp = false;
  }

  /**
   * Turns a local data-plane error into the group's failure. A local error is often only the echo
   * of a failure elsewhere (a peer's socket closed because that peer is aborting), so rank 0
   * decides: other ranks send {@code localReason} to rank 0 as a proposal and wait for its verdict,
   * which names the root cause when a control link knows it; rank 0 waits briefly for its control
   * links. The local reason is used only when no verdict comes.
   */
  public CollectiveException fail(String localReason, Throwable cause) {
    if (proposesToRankZero()) {
      links.get(0).trySend(ControlLink.FAIL, localReason);
      awaitVerdict(timeoutNanos + graceNanos());
    } else {
      awaitVerdict(graceNanos());
    }
    abort(localReason, false);
    String reason = abortReason.get();
    return new CollectiveException(reason == null ? localReason : reason, cause);
  }

  private boolean proposesToRankZero() {
    return rank() != 0 && !links.isEmpty() && !links.get(0).byeReceived;
  }

  private void awaitVerdict(long nanos) {
    long end = System.nanoTime() + nanos;
    while (abortReason.get() == null && !closed && System.nanoTime() < end) {
      sleepQuietly(10);
    }
  }

  /**
   * Rank 0's answer to a peer's proposed reason: a control link that reports a dead or hung peer
   * within the grace period wins over it, since the proposal may only echo that failure.
   */
  private void arbitrate(String proposal) {
    if (abortReason.get() != null) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              awaitVerdict(graceNanos());
              abort(proposal, false);
            },
            "kiln-collective-arbiter");
    t.setDaemon(true);
    t.start();
  }

  /** Aborts the whole gang with {@code reason}; the first reason wins. */
  public boolean abort(String reason) {
    return abort(reason, false);
  }

  private boolean abort(String reason, boolean fromRankZero) {
    // The reason becomes visible only after the peers were told: a rank that sees it leaves and
    // says goodbye (close() takes the same lock), and a goodbye must not overtake the reason.
    synchronized (broadcast) {
      if (decided || abortReason.get() != null) {
        return false;
      }
      decided = true;
      System.err.println("kiln collective: rank " + rank() + " aborting: " + reason);
      if (!closed && !fromRankZero) {
        byte type = rank() == 0 ? ControlLink.ABORT : ControlLink.FAIL;
        for (ControlLink l : links) {
          if (!l.byeReceived) {
            l.trySend(type, reason);
          }
        }
      }
      abortReason.set(reason);
    }
    for (Runnable r : abortListeners) {
      try {
        r.run();
      } catch (RuntimeException e) {
        // keep tearing down
      }
    }
    return true;
  }

  /** Leaves gracefully: says goodbye on every link, waits briefly for the peers' end, closes. */
  @Override
  public void close() {
    synchronized (broadcast) {
      if (closed) {
        return;
      }
      closed = true;
    }
    inOp = false;
    for (ControlLink l : links) {
      l.shutdownOutput();
    }
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    for (ControlLink l : links) {
      // The monitor drains the link until the peer's own end of stream; give it a moment so no
      // unread bytes turn our close into a reset.
      while (started && !l.socket.isClosed() && System.nanoTime() < end && !l.byeReceived) {
        sleepQuietly(5);
      }
      l.closeQuietly();
    }
    Thread w = watchdog;
    if (w != null) {
      w.interrupt();
    }
  }

  private void monitor(ControlLink l) {
    try {
      while (true) {
        byte type = l.in.readByte();
        l.lastSeenNanos = System.nanoTime();
        switch (type) {
          case ControlLink.HEARTBEAT -> {}
          case ControlLink.FAIL -> {
            String reason = l.in.readUTF();
            if (rank() == 0) {
              arbitrate(reason);
            } else {
              abort(reason, false);
            }
          }
          case ControlLink.ABORT -> abort(l.in.readUTF(), true);
          case ControlLink.BYE -> {
            l.byeReceived = true;
            // The other side left after its last operation: answer in kind so both ends close
            // cleanly, with nothing unread that would turn a close into a reset.
            l.shutdownOutput();
          }
          default -> throw new IOException("unknown control message " + type);
        }
      }
    } catch (EOFException e) {
      if (!l.byeReceived && !closed) {
        abort(l.peer.describe() + " exited or lost its connection (control link closed)", false);
      }
    } catch (IOException e) {
      if (!l.byeReceived && !closed) {
        abort(l.peer.describe() + " exited or lost its connection (" + e.getMessage() + ")", false);
      }
    } finally {
      l.byeReceived = true; // nothing more will come; close() must not wait for it
      if (closed) {
        l.closeQuietly();
      }
    }
  }

  private void watch() {
    long period = Math.max(10_000_000L, Math.min(1_000_000_000L, timeoutNanos / 4));
    while (!closed) {
      for (ControlLink l : links) {
        if (!l.byeReceived) {
          l.trySend(ControlLink.HEARTBEAT, null);
        }
      }
      long now = System.nanoTime();
      if (abortReason.get() == null) {
        for (ControlLink l : links) {
          if (!l.byeReceived && now - l.lastSeenNanos > timeoutNanos) {
            abort(
                l.peer.describe()
                    + " stopped responding for "
                    + seconds(now - l.lastSeenNanos)
                    + " (hung, stopped or partitioned)",
                false);
          }
        }
        checkStall(now);
      }
      try {
        Thread.sleep(period / 1_000_000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * A stalled operation: rank 0 aborts; another rank proposes the stall to rank 0 (which may know
   * the peer it waits on is dead or hung) and aborts on its own only if no verdict comes.
   */
  private void checkStall(long now) {
    long stalled = now - lastProgressNanos;
    if (!inOp || stalled <= timeoutNanos + graceNanos()) {
      stallProposedNanos = 0;
      return;
    }
    String reason =
        "rank "
            + rank()
            + ": "
            + opName
            + " made no progress for "
            + seconds(stalled)
            + ", waiting for "
            + waitingOn;
    if (!proposesToRankZero()) {
      abort(reason, false);
    } else if (stallProposedNanos == 0) {
      stallProposedNanos = now;
      links.get(0).trySend(ControlLink.FAIL, reason);
    } else if (now - stallProposedNanos > timeoutNanos + graceNanos()) {
      abort(reason, false);
    }
  }

  private long graceNanos() {
    return Math.min(2_000_000_000L, Math.max(200_000_000L, timeoutNanos / 4));
  }

  private static String seconds(long nanos) {
    return String.format("%.1fs", nanos / 1e9);
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
