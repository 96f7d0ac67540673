package dev.kiln.worker.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NumPy {@code .npy} array (format versions 1-3), C order, converted to float: float32, float64,
 * signed and unsigned integers up to 64 bits, and bool. Anything else (float16, complex, strings,
 * objects, Fortran order) is refused with the dtype named.
 *
 * @param name where it came from, for messages
 * @param dtype NumPy's descr, e.g. {@code <f4}
 * @param shape the dimensions
 * @param data the values, row-major
 */
public record NpyArray(String name, String dtype, int[] shape, float[] data) {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  /** Whether the stored values were integers or bools (labels as class ids). */
  public boolean isIntegral() {
    char kind = dtype.charAt(1);
    return kind == 'i' || kind == 'u' || kind == 'b';
  }

  /** Parses a whole .npy file. */
  public static NpyArray parse(String name, byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
      throw new DataException(name + " is not a NumPy .npy file (bad magic)");
    }
    int major = bytes[6];
    b.position(8);
    long headerLen =
        major == 1 ? Short.toUnsignedInt(b.getShort()) : Integer.toUnsignedLong(b.getInt());
    if (major < 1 || major > 3 || b.position() + headerLen > bytes.length) {
      throw new DataException(
          name + ": unsupported or truncated .npy header (version " + major + ")");
    }
    String header =
        new String(
            bytes,
            b.position(),
            (int) headerLen,
            major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    int dataStart = b.position() + (int) headerLen;
    String descr = group(DESCR, header, name, "descr");
    if ("True".equals(group(FORTRAN, header, name, "fortran_order"))) {
      throw new DataException(
          name + " is stored in Fortran order; save it with np.save(f, np.ascontiguousarray(a))");
    }
    int[] shape = shape(group(SHAPE, header, name, "shape"), name);
    long count = 1;
    for (int d : shape) {
      count *= d;
    }
    if (count > Integer.MAX_VALUE - 8) {
      throw new DataException(name + " has " + count + " elements; at most 2^31 are supported");
    }
    Reader reader = reader(descr, name);
    long need = dataStart + count * reader.size;
    if (bytes.length < need) {
      throw new DataException(
          name
              + " is truncated: shape "
              + Arrays.toString(shape)
              + " of "
              + descr
              + " needs "
              + need
              + " bytes, the file has "
              + bytes.length);
    }
    ByteBuffer data =
        ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart).order(reader.order);
    float[] out = new float[(int) count];
    for (int i = 0; i < out.length; i++) {
      out[i] = reader.read(data);
    }
    return new NpyArray(name, descr, shape, out);
  }

  private static String group(Pattern p, String header, String name, String key) {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new DataException(name + ": .npy header has no '" + key + "': " + header.trim());
    }
    return m.group(1);
  }

  private static int[] shape(String text, String name) {
    String[] parts = text.split(",");
    return Arrays.stream(parts)
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .mapToInt(
            s -> {
              try {
                return Integer.parseInt(s.replace("L", ""));
              } catch (NumberFormatException e) {
                throw new DataException(name + ": bad shape (" + text + ")");
              }
            })
        .toArray();
  }

  /** Decodes one element type. */
  private interface Decode {
    float read(ByteBuffer b);
  }

  private record Reader(int size, ByteOrder order, Decode decode) {
    float read(ByteBuffer b) {
      return decode.read(b);
    }
  }

  private static Reader reader(String descr, String name) {
    if (descr.length() < 3) {
      throw unsupported(descr, name);
    }
    ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    if ("<>|=".indexOf(descr.charAt(0)) < 0) {
      throw unsupported(descr, name);
    }
    String t = descr.substring(1);
    return switch (t) {
      case "f4" -> new Reader(4, order, ByteBuffer::getFloat);
      case "f8" -> new Reader(8, order, b -> (float) b.getDouble());
      case "i1" -> new Reader(1, order, ByteBuffer::get);
      case "u1" -> new Reader(1, order, b -> Byte.toUnsignedInt(b.get()));
      case "b1" -> new Reader(1, order, b -> b.get() != 0 ? 1f : 0f);
      case "i2" -> new Reader(2, order, ByteBuffer::getShort);
      case "u2" -> new Reader(2, order, b -> Short.toUnsignedInt(b.getShort()));
      case "i4" -> new Reader(4, order, ByteBuffer::getInt);
      case "u4" -> new Reader(4, order, b -> (float) Integer.toUnsignedLong(b.getInt()));
      case "i8" -> new Reader(8, order, ByteBuffer::getLong);
      case "u8" -> new Reader(8, order, b -> unsignedLong(b.getLong()));
      default -> throw unsupported(descr, name);
    };
  }

  private static float unsignedLong(long v) {
    return v >= 0 ? v : (float) ((v >>> 1) * 2.0);
  }

  private static DataException unsupported(String descr, String name) {
    return new DataException(
        name
            + " has dtype '"
            + descr
            + "', which Kiln does not read: use float32 or float64"
            + " (features), integer or float (labels)");
  }
}
