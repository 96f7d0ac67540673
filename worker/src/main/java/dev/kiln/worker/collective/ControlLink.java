package dev.kiln.worker.collective;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;

/** A control connection between rank 0 and one peer: heartbeats, failures and goodbyes. */
final class ControlLink {
  static final byte HEARTBEAT = 1;
  static final byte FAIL = 2;
  static final byte ABORT = 3;
  static final byte BYE = 4;
  static final byte SYNC = 5;

  final Peer peer;
  final Socket socket;
  final DataInputStream in;
  private final DataOutputStream out;
  volatile long lastSeenNanos = System.nanoTime();
  volatile boolean byeReceived;
  private boolean outputClosed;

  ControlLink(Peer peer, Socket socket) throws IOException {
    this(peer, socket, new DataInputStream(new BufferedInputStream(socket.getInputStream())));
  }

  /** A link reading from {@code in}, a stream over the socket that may hold buffered bytes. */
  ControlLink(Peer peer, Socket socket, DataInputStream in) throws IOException {
    this.peer = peer;
    this.socket = socket;
    this.in = in;
    this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
  }

  /** Sends one message; {@code text} only for FAIL and ABORT. */
  synchronized void send(byte type, String text) throws IOException {
    if (outputClosed) {
      return;
    }
    out.writeByte(type);
    if (type == FAIL || type == ABORT) {
      out.writeUTF(Wire.truncate(text));
    }
    out.flush();
  }

  /** Best-effort send that never throws: used while tearing down. */
  void trySend(byte type, String text) {
    try {
      send(type, text);
    } catch (IOException | RuntimeException ignored) {
      // the peer is gone already; its own end reports that
    }
  }

  /** Says goodbye and half-closes, so the peer sees our BYE and then a clean end of stream. */
  synchronized void shutdownOutput() {
    if (outputClosed) {
      return;
    }
    try {
      out.writeByte(BYE);
      out.flush();
      socket.shutdownOutput();
    } catch (IOException ignored) {
      // the peer is gone already
    }
    outputClosed = true;
  }

  void closeQuietly() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
