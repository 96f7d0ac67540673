package dev.kiln.endpoint.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 keep-alive client over a plain socket: one request at a time, the whole
 * response read before the next. Lean on purpose, so the load generator measures the server, not a
 * client library.
 */
final class HttpLoadClient implements AutoCloseable {

  private final String host;
  private final int port;
  private Socket socket;
  private OutputStream out;
  private InputStream in;
  private final byte[] line = new byte[8192];

  HttpLoadClient(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** The bytes of a POST with a fixed body. */
  static byte[] post(String host, int port, String path, String contentType, byte[] body) {
    byte[] head =
        ("POST "
                + path
                + " HTTP/1.1\r\nHost: "
                + host
                + ":"
                + port
                + "\r\nContent-Type: "
                + contentType
                + "\r\nContent-Length: "
                + body.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[head.length + body.length];
    System.arraycopy(head, 0, request, 0, head.length);
    System.arraycopy(body, 0, request, head.length, body.length);
    return request;
  }

  /** Sends {@code request} and reads the response; returns its status code. */
  int exchange(byte[] request) throws IOException {
    if (socket == null) {
      connect();
    }
    try {
      out.write(request);
      out.flush();
      return readResponse();
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private void connect() throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), 10_000);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
  }

  private int readResponse() throws IOException {
    String status = readLine();
    if (status.length() < 12 || !status.startsWith("HTTP/1.")) {
      throw new IOException("bad status line: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean close = false;
    while (true) {
      String header = readLine();
      if (header.isEmpty()) {
        break;
      }
      int colon = header.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = header.substring(0, colon).trim();
      String value = header.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("content-length")) {
        length = Long.parseLong(value);
      } else if (name.equalsIgnoreCase("transfer-encoding")) {
        chunked = value.equalsIgnoreCase("chunked");
      } else if (name.equalsIgnoreCase("connection")) {
        close = value.equalsIgnoreCase("close");
      }
    }
    if (chunked) {
      while (true) {
        long size = Long.parseLong(readLine().split(";")[0].trim(), 16);
        skip(size);
        readLine();
        if (size == 0) {
          break;
        }
      }
    } else if (length >= 0) {
      skip(length);
    } else {
      close = true;
    }
    if (close) {
      close();
    }
    return code;
  }

  private void skip(long n) throws IOException {
    while (n > 0) {
      long k = in.skip(n);
      if (k <= 0) {
        if (in.read() < 0) {
          throw new EOFException("connection closed inside a response body");
        }
        k = 1;
      }
      n -= k;
    }
  }

  private String readLine() throws IOException {
    int n = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed");
      }
      if (b == '\n') {
        break;
      }
      if (b != '\r' && n < line.length) {
        line[n++] = (byte) b;
      }
    }
    return new String(line, 0, n, StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // Already gone.
      }
      socket = null;
    }
  }
}
