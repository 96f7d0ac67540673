package dev.kiln.controlplane.local;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading rank logs: their end, or what was added since an offset. */
final class LogFiles {
  private LogFiles() {}

  /** The last {@code maxBytes} of a log, from a line start; empty when there is none. */
  static String tail(Path log, int maxBytes) {
    if (!Files.isRegularFile(log)) {
      return "";
    }
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long length = f.length();
      long from = Math.max(0, length - maxBytes);
      byte[] bytes = new byte[(int) (length - from)];
      f.seek(from);
      f.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8);
      if (from > 0) {
        int nl = text.indexOf('\n');
        text = nl < 0 ? text : text.substring(nl + 1);
      }
      return text;
    } catch (IOException e) {
      return "";
    }
  }

  /** Up to {@code max} bytes of a log from {@code offset}; empty at its end or when missing. */
  static byte[] read(Path log, long offset, int max) throws IOException {
    if (!Files.isRegularFile(log)) {
      return new byte[0];
    }
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long length = f.length();
      if (offset >= length) {
        return new byte[0];
      }
      byte[] bytes = new byte[(int) Math.min(max, length - offset)];
      f.seek(offset);
      f.readFully(bytes);
      return bytes;
    }
  }
}
