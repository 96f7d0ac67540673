package dev.kiln.cli.train;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Bytes of UTF-8 text into a writer; a character split across writes is kept until complete. */
final class WriterOutputStream extends OutputStream {
  private final PrintWriter out;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private ByteBuffer pending = ByteBuffer.allocate(0);

  WriterOutputStream(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    ByteBuffer in = ByteBuffer.allocate(pending.remaining() + len);
    in.put(pending).put(b, off, len).flip();
    CharBuffer chars = CharBuffer.allocate(in.remaining() + 1);
    decoder.decode(in, chars, false);
    chars.flip();
    out.write(chars.toString());
    pending = in.slice();
  }

  @Override
  public void flush() {
    out.flush();
  }
}
