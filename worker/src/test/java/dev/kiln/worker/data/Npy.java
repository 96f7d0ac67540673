package dev.kiln.worker.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Test fixture: writes .npy files byte for byte as numpy.save does (format 1.0). */
final class Npy {
  private Npy() {}

  static byte[] of(String descr, int[] shape, boolean fortran, double[] values) {
    StringBuilder s = new StringBuilder("(");
    for (int d : shape) {
      s.append(d).append(", ");
    }
    if (shape.length > 1) {
      s.setLength(s.length() - 2);
    } else {
      s.setLength(s.length() - 1);
    }
    s.append(")");
    String dict =
        "{'descr': '"
            + descr
            + "', 'fortran_order': "
            + (fortran ? "True" : "False")
            + ", 'shape': "
            + s
            + ", }";
    int pad = 64 - (10 + dict.length() + 1) % 64;
    String header = dict + " ".repeat(pad % 64) + "\n";
    int size = Integer.parseInt(descr.substring(2));
    ByteBuffer b =
        ByteBuffer.allocate(10 + header.length() + values.length * size)
            .order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    b.putShort((short) header.length());
    b.put(header.getBytes(StandardCharsets.ISO_8859_1));
    for (double v : values) {
      switch (descr.substring(1)) {
        case "f4" -> b.putFloat((float) v);
        case "f8" -> b.putDouble(v);
        case "i8" -> b.putLong((long) v);
        case "i4" -> b.putInt((int) v);
        case "u1" -> b.put((byte) v);
        default -> b.put(new byte[size]);
      }
    }
    return b.array();
  }
}
