package dev.kiln.worker.collective.tcp;

import dev.kiln.worker.collective.Collective;
import dev.kiln.worker.collective.CollectiveConfig;
import dev.kiln.worker.collective.CollectiveException;
import dev.kiln.worker.collective.CollectiveProvider;
import dev.kiln.worker.collective.Peer;
import dev.kiln.worker.collective.PeerGroup;
import dev.kiln.worker.collective.Rendezvous;
import dev.kiln.worker.collective.SingleRankCollective;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/** The {@code tcp} backend: rendezvous, then a ring of TCP connections, rank r to rank r+1. */
public final class TcpRingProvider implements CollectiveProvider {
  /**
   * Kernel buffer per ring socket between ranks on one host. Small on purpose: on loopback a
   * shallow pipeline keeps chunks in cache and ranks in step (measured: 128 KiB beats 1-4 MiB by
   * 1.5-2x with 4 ranks on 2 cores). Between hosts the kernel's autotuning is left alone.
   */
  static final int SAME_HOST_SOCKET_BUFFER = 128 << 10;

  /** {@code KILN_SOCKET_BUFFER_BYTES} if set (0: kernel autotuning), else -1. */
  private static final int SOCKET_BUFFER_OVERRIDE = socketBufferOverride();

  private static final int RING_MAGIC = 0x52494E47; // "RING"

  @Override
  public String name() {
    return "tcp";
  }

  @Override
  public Collective open(CollectiveConfig c) {
    long deadline = System.nanoTime() + c.rendezvousTimeout().toNanos();
    ServerSocketChannel listener = null;
    SocketChannel left = null;
    SocketChannel right = null;
    PeerGroup group = null;
    try {
      listener = ServerSocketChannel.open();
      // Set before bind so accepted sockets negotiate a large window.
      InetAddress master = InetAddress.getByName(c.masterAddr());
      listener.bind(new InetSocketAddress(master.isLoopbackAddress() ? master : null, 0));
      int port =
          c.worldSize() == 1 ? 0 : ((InetSocketAddress) listener.getLocalAddress()).getPort();
      group = Rendezvous.join(c, port);
      int n = c.worldSize();
      if (n > 1) {
        right = connectRight(group, group.peer((c.rank() + 1) % n), deadline);
        left = acceptLeft(group, listener, (c.rank() + n - 1) % n, deadline);
      }
      listener.close();
      group.start();
      if (n == 1) {
        return new SingleRankCollective(group, "tcp");
      }
      return new TcpRingCollective(group, left, right, c.chunkBytes());
    } catch (IOException | RuntimeException e) {
      closeQuietly(listener);
      closeQuietly(left);
      closeQuietly(right);
      if (group != null) {
        group.close();
      }
      if (e instanceof CollectiveException ce) {
        throw ce;
      }
      throw new CollectiveException("rank " + c.rank() + ": building the ring failed: " + e, e);
    }
  }

  private static SocketChannel connectRight(PeerGroup g, Peer right, long deadline)
      throws IOException {
    IOException last = null;
    while (System.nanoTime() < deadline) {
      SocketChannel ch = SocketChannel.open();
      try {
        configure(ch, bufferFor(g, right));
        ch.connect(new InetSocketAddress(right.host(), right.dataPort()));
        ByteBuffer hello = ByteBuffer.allocate(256);
        byte[] session = g.session().getBytes(StandardCharsets.UTF_8);
        hello.putInt(RING_MAGIC).putInt(g.rank()).putInt(session.length).put(session).flip();
        while (hello.hasRemaining()) {
          ch.write(hello);
        }
        return ch;
      } catch (IOException e) {
        closeQuietly(ch);
        last = e;
        sleep(100);
      }
    }
    throw new CollectiveException(
        "rank " + g.rank() + ": could not connect to right peer " + right.describe() + ": " + last);
  }

  private static SocketChannel acceptLeft(
      PeerGroup g, ServerSocketChannel listener, int leftRank, long deadline) throws IOException {
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      listener.socket().setSoTimeout((int) Math.max(1, left / 1_000_000));
      SocketChannel ch;
      try {
        ch = listener.socket().accept().getChannel();
      } catch (SocketTimeoutException e) {
        break;
      }
      try {
        configure(ch, bufferFor(g, g.peer(leftRank)));
        ch.socket().setSoTimeout(5_000);
        var in = new java.io.DataInputStream(ch.socket().getInputStream());
        int magic = in.readInt();
        int rank = in.readInt();
        int len = in.readInt();
        String session =
            len >= 0 && len < 256 ? new String(in.readNBytes(len), StandardCharsets.UTF_8) : "";
        if (magic == RING_MAGIC && rank == leftRank && session.equals(g.session())) {
          ch.socket().setSoTimeout(0);
          return ch;
        }
        System.err.println(
            "kiln ring: dropped a data connection that is not from rank " + leftRank);
      } catch (IOException e) {
        System.err.println("kiln ring: dropped a data connection: " + e);
      }
      closeQuietly(ch);
    }
    throw new CollectiveException(
        "rank " + g.rank() + ": left peer " + g.peer(leftRank).describe() + " never connected");
  }

  /** Socket buffer size towards {@code peer}, or 0 to leave the kernel's autotuning on. */
  private static int bufferFor(PeerGroup g, Peer peer) {
    if (SOCKET_BUFFER_OVERRIDE >= 0) {
      return SOCKET_BUFFER_OVERRIDE;
    }
    return g.peer(g.rank()).hostId().equals(peer.hostId()) ? SAME_HOST_SOCKET_BUFFER : 0;
  }

  private static void configure(SocketChannel ch, int buffer) throws IOException {
    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
    if (buffer > 0) {
      ch.setOption(StandardSocketOptions.SO_SNDBUF, buffer);
      ch.setOption(StandardSocketOptions.SO_RCVBUF, buffer);
    }
  }

  private static int socketBufferOverride() {
    String v = System.getenv("KILN_SOCKET_BUFFER_BYTES");
    return v == null || v.isBlank() ? -1 : Integer.parseInt(v.trim());
  }

  private static void closeQuietly(java.io.Closeable c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CollectiveException("interrupted while building the ring");
    }
  }
}
