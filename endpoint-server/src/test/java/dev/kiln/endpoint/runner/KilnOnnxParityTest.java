package dev.kiln.endpoint.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.endpoint.bench.BenchModel;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Kiln artifact served natively and through its own model.onnx gives the same predictions. */
class KilnOnnxParityTest {

  @Test
  void nativeForwardPassAndOnnxRuntimeAgree(@TempDir Path dir) throws IOException {
    Path model = BenchModel.write(dir.resolve("digits/model"), 64, new int[] {32, 16}, 10, 3);
    float[] x = BenchModel.rows(17, 64, 11);
    try (ModelRunner kiln = ModelLoader.open(model, "kiln", 1);
        ModelRunner onnx = ModelLoader.open(model, "onnx", 1)) {
      assertThat(kiln.signature().platform()).isEqualTo("kiln");
      assertThat(onnx.signature().platform()).isEqualTo("onnxruntime");
      for (ModelRunner r : new ModelRunner[] {kiln, onnx}) {
        assertThat(r.signature().inputName()).isEqualTo("input");
        assertThat(r.signature().inputShape()).containsExactly(64);
        assertThat(r.signature().outputName()).isEqualTo("probabilities");
        assertThat(r.signature().classifier()).isTrue();
      }
      assertThat(kiln.signature().name()).isEqualTo("digits");
      assertThat(kiln.signature().labels())
          .containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
      float[] a = kiln.run(x, 17);
      float[] b = onnx.run(x, 17);
      assertThat(a).hasSize(170);
      for (int i = 0; i < a.length; i++) {
        assertThat(b[i]).as("output %d", i).isCloseTo(a[i], within(1e-5f));
      }
      // One row alone gives the same answer as inside a batch: batching does not change results.
      float[] first = kiln.run(java.util.Arrays.copyOf(x, 64), 1);
      for (int i = 0; i < 10; i++) {
        assertThat(first[i]).isCloseTo(a[i], within(1e-6f));
      }
    }
  }

  @Test
  void autoPrefersTheKilnArtifactOverItsOnnxFile(@TempDir Path dir) throws IOException {
    BenchModel.write(dir, 8, new int[] {4}, 3, 1);
    try (ModelRunner r = ModelLoader.open(dir, "auto", 1)) {
      assertThat(r.signature().platform()).isEqualTo("kiln");
    }
  }
}
