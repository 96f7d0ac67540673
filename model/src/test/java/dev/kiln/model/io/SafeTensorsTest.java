package dev.kiln.model.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

  private static Map<String, SafeTensors.Tensor> tensors() {
    Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>();
    t.put(
        "layers.0.weight",
        new SafeTensors.Tensor(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
    t.put("layers.0.bias", new SafeTensors.Tensor(new long[] {2}, new float[] {-0.5f, 7.25f}));
    t.put("empty", new SafeTensors.Tensor(new long[] {0}, new float[0]));
    return t;
  }

  @Test
  void roundTripsTensorsAndMetadata(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("w.safetensors");
    SafeTensors.write(file, tensors(), Map.of("format", "pt"));
    SafeTensors.Contents c = SafeTensors.read(file);
    assertThat(c.metadata()).containsEntry("format", "pt");
    assertThat(c.tensors().keySet()).containsExactly("layers.0.weight", "layers.0.bias", "empty");
    assertThat(c.tensors().get("layers.0.weight").shape()).containsExactly(2, 3);
    assertThat(c.tensors().get("layers.0.weight").data()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(c.tensors().get("layers.0.bias").data()).containsExactly(-0.5f, 7.25f);
  }

  @Test
  void writesTheStandardLayout() throws Exception {
    byte[] bytes = SafeTensors.encode(tensors(), Map.of());
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long n = buf.getLong();
    assertThat(n % 8).as("data 8-byte aligned").isZero();
    JsonNode header =
        new ObjectMapper().readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
    JsonNode w = header.get("layers.0.weight");
    assertThat(w.get("dtype").asText()).isEqualTo("F32");
    assertThat(w.get("shape").toString()).isEqualTo("[2,3]");
    assertThat(w.get("data_offsets").toString()).isEqualTo("[0,24]");
    assertThat(header.get("layers.0.bias").get("data_offsets").toString()).isEqualTo("[24,32]");
    assertThat(bytes.length).isEqualTo(8 + n + 32);
    buf.position((int) (8 + n + 24));
    assertThat(buf.getFloat()).isEqualTo(-0.5f);
  }

  @Test
  void rejectsMalformedFiles() {
    assertThatThrownBy(() -> SafeTensors.decode(new byte[3]))
        .hasMessageContaining("shorter than 8");
    byte[] bytes = SafeTensors.encode(tensors(), Map.of());
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 4);
    assertThatThrownBy(() -> SafeTensors.decode(truncated))
        .isInstanceOf(IllegalArgumentException.class);
    String header = "{\"x\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[0,1]}}";
    ByteBuffer b = ByteBuffer.allocate(8 + header.length() + 1).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(header.length()).put(header.getBytes(StandardCharsets.UTF_8)).put((byte) 1);
    assertThatThrownBy(() -> SafeTensors.decode(b.array()))
        .hasMessageContaining("dtype I8 is not supported");
  }
}
