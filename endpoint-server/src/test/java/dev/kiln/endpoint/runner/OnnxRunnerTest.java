package dev.kiln.endpoint.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Runtime against PyTorch's own outputs for models exported from PyTorch. */
class OnnxRunnerTest {

  static final Path MODELS = Path.of("src/test/resources/onnx");

  /** Runs the model on its expected.json inputs and checks PyTorch's outputs within 1e-5. */
  private static ModelSignature matchesPytorch(String name) throws IOException {
    JsonNode expected =
        new ObjectMapper().readTree(MODELS.resolve(name + ".expected.json").toFile());
    float[] input = floats(expected.get("input"));
    float[] want = floats(expected.get("output"));
    int rows = expected.get("input_shape").get(0).asInt();
    try (OnnxRunner runner = OnnxRunner.open(MODELS.resolve(name + ".onnx"), 1)) {
      float[] got = runner.run(input, rows);
      assertThat(got).hasSize(want.length);
      for (int i = 0; i < want.length; i++) {
        assertThat(got[i]).as("output %d", i).isCloseTo(want[i], within(1e-5f));
      }
      return runner.signature();
    }
  }

  private static float[] floats(JsonNode array) {
    float[] f = new float[array.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) array.get(i).asDouble();
    }
    return f;
  }

  @Test
  void servesAPytorchClassifierLikePytorch() throws IOException {
    ModelSignature sig = matchesPytorch("torch_mlp_64_10");
    assertThat(sig.name()).isEqualTo("torch_mlp_64_10");
    assertThat(sig.platform()).isEqualTo("onnxruntime");
    assertThat(sig.inputName()).isEqualTo("input");
    assertThat(sig.inputShape()).containsExactly(64);
    assertThat(sig.outputName()).isEqualTo("probabilities");
    assertThat(sig.outputShape()).containsExactly(10);
    assertThat(sig.classifier()).isTrue();
  }

  @Test
  void convertsForAFloat64Model() throws IOException {
    ModelSignature sig = matchesPytorch("torch_fp64_regression_4_3");
    assertThat(sig.inputDatatype()).isEqualTo("FP64");
    assertThat(sig.outputName()).isEqualTo("output");
    assertThat(sig.classifier()).isFalse();
  }

  @Test
  void runsRowByRowWhenTheBatchIsFixedToOne() throws IOException {
    ModelSignature sig = matchesPytorch("torch_fixed_batch_5_2");
    assertThat(sig.inputName()).isEqualTo("features");
  }

  @Test
  void takesImageShapedInput() throws IOException {
    ModelSignature sig = matchesPytorch("torch_image_1x4x4_3");
    assertThat(sig.inputShape()).containsExactly(1, 4, 4);
    assertThat(sig.inputWidth()).isEqualTo(16);
    assertThat(sig.describeInputShape()).isEqualTo("[N, 1, 4, 4]");
  }

  @Test
  void refusesAFileThatIsNotOnnx(@TempDir Path dir) throws IOException {
    Path bogus = Files.writeString(dir.resolve("model.onnx"), "not a model");
    assertThatThrownBy(() -> OnnxRunner.open(bogus, 1))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("ONNX Runtime cannot open");
  }

  @Test
  void parsesLabelsFromCustomMetadata() {
    assertThat(OnnxRunner.parseLabels("[\"cat\", \"dog\"]")).containsExactly("cat", "dog");
    assertThat(OnnxRunner.parseLabels("0,1,2")).containsExactly("0", "1", "2");
    assertThat(OnnxRunner.parseLabels(null)).isEmpty();
  }
}
