package dev.kiln.model.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
 * mapping each tensor name to {@code dtype}, {@code shape} and {@code data_offsets} (relative to
 * the data section), optional {@code __metadata__} strings, then the raw little-endian data. Kiln
 * writes F32; it reads F32 and F64.
 */
public final class SafeTensors {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String METADATA = "__metadata__";
  private static final long MAX_HEADER = 100L << 20;

  private SafeTensors() {}

  /** A float tensor: its shape and row-major values. */
  public record Tensor(long[] shape, float[] data) {
    /** Checks the shape matches the data. */
    public Tensor {
      long n = 1;
      for (long d : shape) {
        if (d < 0) {
          throw new IllegalArgumentException("negative dimension in shape");
        }
        n = Math.multiplyExact(n, d);
      }
      if (n != data.length) {
        throw new IllegalArgumentException("shape holds " + n + " values, data has " + data.length);
      }
    }
  }

  /** A file's tensors (in data order) and metadata. */
  public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

  /** Writes {@code tensors} (in iteration order) and {@code metadata} to {@code file}. */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    Files.write(file, encode(tensors, metadata));
  }

  /** Encodes a safetensors file in memory. */
  public static byte[] encode(Map<String, Tensor> tensors, Map<String, String> metadata) {
    ObjectNode header = MAPPER.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode m = header.putObject(METADATA);
      metadata.forEach(m::put);
    }
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      if (e.getKey().equals(METADATA)) {
        throw new IllegalArgumentException("a tensor cannot be called " + METADATA);
      }
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", "F32");
      ArrayNode shape = t.putArray("shape");
      for (long d : e.getValue().shape()) {
        shape.add(d);
      }
      long end = offset + 4L * e.getValue().data().length;
      t.putArray("data_offsets").add(offset).add(end);
      offset = end;
    }
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer buf =
        ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(padded);
    buf.put(json);
    for (int i = json.length; i < padded; i++) {
      buf.put((byte) ' ');
    }
    for (Tensor t : tensors.values()) {
      buf.asFloatBuffer().put(t.data());
      buf.position(buf.position() + 4 * t.data().length);
    }
    return buf.array();
  }

  /** Reads a safetensors file. */
  public static Contents read(Path file) throws IOException {
    return decode(Files.readAllBytes(file));
  }

  /** Decodes a safetensors file; the message of a failure says what is malformed. */
  public static Contents decode(byte[] bytes) {
    if (bytes.length < 8) {
      throw new IllegalArgumentException("not a safetensors file: shorter than 8 bytes");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength = buf.getLong();
    if (headerLength < 2 || headerLength > MAX_HEADER || 8 + headerLength > bytes.length) {
      throw new IllegalArgumentException(
          "not a safetensors file: header length "
              + headerLength
              + " for "
              + bytes.length
              + " bytes");
    }
    JsonNode header;
    try {
      header = MAPPER.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException("safetensors header is not JSON: " + e.getMessage());
    }
    if (header == null || !header.isObject()) {
      throw new IllegalArgumentException("safetensors header must be a JSON object");
    }
    int dataStart = (int) (8 + headerLength);
    long dataLength = bytes.length - dataStart;
    Map<String, String> metadata = new LinkedHashMap<>();
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals(METADATA)) {
        e.getValue()
            .fields()
            .forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
      } else {
        entries.add(e);
      }
    }
    entries.sort((a, b) -> Long.compare(begin(a.getValue()), begin(b.getValue())));
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    long expected = 0;
    for (Map.Entry<String, JsonNode> e : entries) {
      tensors.put(e.getKey(), tensor(e.getKey(), e.getValue(), buf, dataStart, expected));
      expected = e.getValue().path("data_offsets").path(1).asLong();
    }
    if (expected != dataLength) {
      throw new IllegalArgumentException(
          "safetensors data section has " + dataLength + " bytes, tensors cover " + expected);
    }
    return new Contents(tensors, metadata);
  }

  private static long begin(JsonNode t) {
    return t.path("data_offsets").path(0).asLong(-1);
  }

  private static Tensor tensor(String name, JsonNode t, ByteBuffer buf, int dataStart, long from) {
    String dtype = t.path("dtype").asText();
    JsonNode offsets = t.path("data_offsets");
    if (!offsets.isArray() || offsets.size() != 2 || !t.path("shape").isArray()) {
      throw new IllegalArgumentException("tensor " + name + ": needs shape and data_offsets");
    }
    long begin = offsets.get(0).asLong();
    long end = offsets.get(1).asLong();
    if (begin != from || end < begin || dataStart + end > buf.capacity()) {
      throw new IllegalArgumentException(
          "tensor " + name + ": data_offsets [" + begin + ", " + end + "] overlap or leave a hole");
    }
    long[] shape = new long[t.path("shape").size()];
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = t.path("shape").get(i).asLong();
      count = Math.multiplyExact(count, shape[i]);
    }
    int width = dtype.equals("F32") ? 4 : dtype.equals("F64") ? 8 : -1;
    if (width < 0) {
      throw new IllegalArgumentException(
          "tensor " + name + ": dtype " + dtype + " is not supported (F32 or F64)");
    }
    if (count * width != end - begin) {
      throw new IllegalArgumentException(
          "tensor "
              + name
              + ": shape needs "
              + count * width
              + " bytes, offsets give "
              + (end - begin));
    }
    float[] data = new float[Math.toIntExact(count)];
    ByteBuffer slice = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    slice.position((int) (dataStart + begin));
    for (int i = 0; i < data.length; i++) {
      data[i] = width == 4 ? slice.getFloat() : (float) slice.getDouble();
    }
    return new Tensor(shape, data);
  }
}
