package dev.kiln.worker.collective;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Gathers a gang at {@code MASTER_ADDR:MASTER_PORT}: rank 0 listens, every other rank connects
 * (retrying until the rendezvous deadline) and says hello with the job uid, attempt, rank, world
 * size and its data port. Rank 0 refuses a peer of another job or attempt with a message that says
 * so, keeps waiting for the right ones, and once all have joined sends everyone the peer table.
 */
public final class Rendezvous {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Rendezvous() {}

  /** A hello as rank 0 received it. */
  private record Hello(
      int rank, int world, String uid, int attempt, int dataPort, String hostId, int chunkBytes) {}

  /**
   * Joins the gang; {@code dataPort} is where this rank accepts data connections (0 if none).
   * Blocks until every rank joined or the rendezvous timeout passed.
   */
  public static PeerGroup join(CollectiveConfig c, int dataPort) {
    long deadline = System.nanoTime() + c.rendezvousTimeout().toNanos();
    String hostId = Wire.hostId();
    if (c.worldSize() == 1) {
      Peer self = new Peer(0, c.masterAddr(), dataPort, hostId);
      return new PeerGroup(c, List.of(self), newSession(), List.of());
    }
    try {
      return c.rank() == 0
          ? master(c, dataPort, hostId, deadline)
          : peer(c, dataPort, hostId, deadline);
    } catch (IOException e) {
      throw new CollectiveException("rendezvous failed at " + where(c) + ": " + e, e);
    }
  }

  private static PeerGroup master(CollectiveConfig c, int dataPort, String hostId, long deadline)
      throws IOException {
    int n = c.worldSize();
    Hello[] hellos = new Hello[n];
    Socket[] sockets = new Socket[n];
    int joined = 0;
    try (ServerSocket ss = new ServerSocket()) {
      ss.setReuseAddress(true);
      InetAddress master = InetAddress.getByName(c.masterAddr());
      // Local mode passes a loopback MASTER_ADDR: do not expose the port beyond this machine.
      bind(
          ss,
          master.isLoopbackAddress()
              ? new InetSocketAddress(master, c.masterPort())
              : new InetSocketAddress(c.masterPort()),
          n * 2,
          deadline);
      while (joined < n - 1) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw missing(c, hellos);
        }
        ss.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
        Socket s;
        try {
          s = ss.accept();
        } catch (SocketTimeoutException e) {
          throw missing(c, hellos);
        }
        Hello h = readHello(s, Math.min(left, 10_000_000_000L));
        if (h == null) {
          continue;
        }
        String refusal = refusal(c, h, hellos, sockets);
        if (refusal != null) {
          boolean retryable = h.attempt > c.attempt() && h.uid.equals(c.jobUid());
          System.err.println(
              "kiln rendezvous: refused " + s.getRemoteSocketAddress() + ": " + refusal);
          reject(s, refusal, retryable);
          continue;
        }
        hellos[h.rank] = h;
        sockets[h.rank] = s;
        joined++;
      }
    } catch (IOException | RuntimeException e) {
      closeAll(sockets);
      throw e;
    }
    List<Peer> peers = new ArrayList<>();
    peers.add(new Peer(0, c.masterAddr(), dataPort, hostId));
    for (int r = 1; r < n; r++) {
      String host = sockets[r].getInetAddress().getHostAddress();
      peers.add(new Peer(r, host, hellos[r].dataPort, hellos[r].hostId));
    }
    String session = newSession();
    List<ControlLink> links = new ArrayList<>();
    for (int r = 1; r < n; r++) {
      sockets[r].setSoTimeout(0);
      DataOutputStream out = new DataOutputStream(sockets[r].getOutputStream());
      out.writeByte(Wire.WELCOME);
      out.writeUTF(session);
      out.writeInt(n);
      for (Peer p : peers) {
        out.writeUTF(p.host());
        out.writeInt(p.dataPort());
        out.writeUTF(p.hostId());
      }
      out.flush();
      links.add(new ControlLink(peers.get(r), sockets[r]));
    }
    return new PeerGroup(c, peers, session, links);
  }

  /** Binds, retrying while the port is still held (e.g. by a previous attempt that is exiting). */
  private static void bind(ServerSocket ss, InetSocketAddress at, int backlog, long deadline)
      throws IOException {
    while (true) {
      try {
        ss.bind(at, backlog);
        return;
      } catch (java.net.BindException e) {
        if (System.nanoTime() + 200_000_000L > deadline) {
          throw e;
        }
        sleep(200);
      }
    }
  }

  private static Hello readHello(Socket s, long timeoutNanos) {
    try {
      s.setTcpNoDelay(true);
      s.setSoTimeout((int) Math.max(1, timeoutNanos / 1_000_000));
      DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 512));
      int magic = in.readInt();
      int version = in.readInt();
      if (magic != Wire.MAGIC || version != Wire.VERSION) {
        reject(s, "not a Kiln rank speaking protocol " + Wire.VERSION, false);
        return null;
      }
      String uid = in.readUTF();
      int attempt = in.readInt();
      int rank = in.readInt();
      int world = in.readInt();
      int dataPort = in.readInt();
      String hostId = in.readUTF();
      int chunkBytes = in.readInt();
      return new Hello(rank, world, uid, attempt, dataPort, hostId, chunkBytes);
    } catch (IOException e) {
      System.err.println("kiln rendezvous: dropped " + s.getRemoteSocketAddress() + ": " + e);
      closeQuietly(s);
      return null;
    }
  }

  private static String refusal(CollectiveConfig c, Hello h, Hello[] hellos, Socket[] sockets) {
    if (!h.uid.equals(c.jobUid())) {
      return "peer rank "
          + h.rank
          + " belongs to job uid '"
          + h.uid
          + "', this gang is job uid '"
          + c.jobUid()
          + "'";
    }
    if (h.attempt != c.attempt()) {
      return "peer rank "
          + h.rank
          + " is from attempt "
          + h.attempt
          + " but rank 0 is from attempt "
          + c.attempt()
          + " of job uid '"
          + c.jobUid()
          + "'"
          + (h.attempt < c.attempt() ? ": a stale rank of an earlier attempt" : "");
    }
    if (h.world != c.worldSize()) {
      return "peer rank "
          + h.rank
          + " expects world size "
          + h.world
          + " but rank 0 has "
          + c.worldSize();
    }
    if (h.rank <= 0 || h.rank >= c.worldSize()) {
      return "rank " + h.rank + " is not a peer rank of a gang of " + c.worldSize();
    }
    if (h.chunkBytes != c.chunkBytes()) {
      return "peer rank "
          + h.rank
          + " uses KILN_COLLECTIVE_CHUNK_BYTES="
          + h.chunkBytes
          + " but rank 0 uses "
          + c.chunkBytes()
          + "; every rank must use the same";
    }
    if (hellos[h.rank] != null) {
      return "rank " + h.rank + " already joined from " + sockets[h.rank].getRemoteSocketAddress();
    }
    return null;
  }

  private static void reject(Socket s, String reason, boolean retryable) {
    try {
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeByte(Wire.REJECT);
      out.writeUTF(Wire.truncate(reason));
      out.writeBoolean(retryable);
      out.flush();
    } catch (IOException ignored) {
      // the refused peer left already
    } finally {
      closeQuietly(s);
    }
  }

  private static CollectiveException missing(CollectiveConfig c, Hello[] hellos) {
    List<Integer> absent = new ArrayList<>();
    for (int r = 1; r < hellos.length; r++) {
      if (hellos[r] == null) {
        absent.add(r);
      }
    }
    return new CollectiveException(
        "rendezvous timed out after "
            + c.rendezvousTimeout().toSeconds()
            + "s at "
            + where(c)
            + ": ranks "
            + absent
            + " never joined");
  }

  private static PeerGroup peer(CollectiveConfig c, int dataPort, String hostId, long deadline)
      throws IOException {
    long backoffMs = 50;
    String lastError = "no attempt yet";
    while (System.nanoTime() < deadline) {
      Socket s = new Socket();
      try {
        long left = deadline - System.nanoTime();
        s.setTcpNoDelay(true);
        s.connect(
            new InetSocketAddress(c.masterAddr(), c.masterPort()),
            (int) Math.max(1, Math.min(5_000, left / 1_000_000)));
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeInt(Wire.MAGIC);
        out.writeInt(Wire.VERSION);
        out.writeUTF(c.jobUid());
        out.writeInt(c.attempt());
        out.writeInt(c.rank());
        out.writeInt(c.worldSize());
        out.writeInt(dataPort);
        out.writeUTF(hostId);
        out.writeInt(c.chunkBytes());
        out.flush();
        // Rank 0 answers once the whole gang has joined.
        s.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
        byte reply = in.readByte();
        if (reply == Wire.REJECT) {
          String reason = in.readUTF();
          boolean retryable = in.readBoolean();
          closeQuietly(s);
          if (!retryable) {
            throw new CollectiveException(
                "rank 0 at " + where(c) + " refused rank " + c.rank() + ": " + reason);
          }
          lastError = "refused: " + reason;
        } else if (reply == Wire.WELCOME) {
          return welcomed(c, s, in);
        } else {
          closeQuietly(s);
          throw new CollectiveException("protocol error from " + where(c) + ": reply " + reply);
        }
      } catch (SocketTimeoutException e) {
        closeQuietly(s);
        lastError = "timed out waiting for the gang";
      } catch (IOException e) {
        closeQuietly(s);
        lastError = e.toString();
      }
      sleep(Math.min(backoffMs, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
      backoffMs = Math.min(1_000, backoffMs * 2);
    }
    throw new CollectiveException(
        "rendezvous timed out after "
            + c.rendezvousTimeout().toSeconds()
            + "s: rank "
            + c.rank()
            + " could not join rank 0 at "
            + where(c)
            + " (last: "
            + lastError
            + ")");
  }

  private static PeerGroup welcomed(CollectiveConfig c, Socket s, DataInputStream in)
      throws IOException {
    s.setSoTimeout(0);
    String session = in.readUTF();
    int n = in.readInt();
    if (n != c.worldSize()) {
      throw new CollectiveException(
          "rank 0 sent a table of " + n + " ranks, expected " + c.worldSize());
    }
    List<Peer> peers = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      peers.add(new Peer(r, in.readUTF(), in.readInt(), in.readUTF()));
    }
    Peer master = new Peer(0, c.masterAddr(), peers.get(0).dataPort(), peers.get(0).hostId());
    peers.set(0, master);
    // The link reuses the buffered stream so no byte rank 0 sends after the table is lost.
    ControlLink link = new ControlLink(new Peer(0, c.masterAddr(), c.masterPort(), ""), s, in);
    return new PeerGroup(c, peers, session, List.of(link));
  }

  private static String newSession() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static String where(CollectiveConfig c) {
    return c.masterAddr() + ":" + c.masterPort();
  }

  private static void closeAll(Socket[] sockets) {
    for (Socket s : sockets) {
      if (s != null) {
        closeQuietly(s);
      }
    }
  }

  static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CollectiveException("interrupted during rendezvous");
    }
  }
}
