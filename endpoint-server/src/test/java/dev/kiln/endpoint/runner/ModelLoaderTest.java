package dev.kiln.endpoint.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLoaderTest {

  private final ModelLoader loader =
      new ModelLoader(new ModelFetcher(new S3Settings(Optional.empty(), "", "", "us-east-1")));

  @Test
  void opensAnOnnxFileByPathOrFileUri() {
    Path onnx = OnnxRunnerTest.MODELS.resolve("torch_mlp_64_10.onnx").toAbsolutePath();
    try (ModelRunner r = loader.load(onnx.toString(), "auto", 1)) {
      assertThat(r.signature().platform()).isEqualTo("onnxruntime");
    }
    try (ModelRunner r = loader.load(onnx.toUri().toString(), "auto", 1)) {
      assertThat(r.signature().inputWidth()).isEqualTo(64);
    }
  }

  @Test
  void opensTheOnlyOnnxFileOfAFolder(@TempDir Path dir) throws IOException {
    Files.copy(OnnxRunnerTest.MODELS.resolve("torch_mlp_64_10.onnx"), dir.resolve("exported.onnx"));
    try (ModelRunner r = loader.load("file:" + dir, "auto", 1)) {
      assertThat(r.signature().name()).isEqualTo("exported");
    }
  }

  @Test
  void namesTheModelAfterItsUri() {
    assertThat(ModelLoader.nameFor("s3://models/digits/model/")).isEqualTo("digits");
    assertThat(ModelLoader.nameFor("s3://models/digits/model/model.onnx")).isEqualTo("digits");
    assertThat(ModelLoader.nameFor("s3://models/x/sklearn-iris.onnx")).isEqualTo("sklearn-iris");
    assertThat(ModelLoader.nameFor("file:/tmp/mlp")).isEqualTo("mlp");
    assertThat(ModelLoader.nameFor("/model/")).isEqualTo("model");
  }

  @Test
  void saysWhatItExpectedWhenTheFolderHoldsNoModel(@TempDir Path dir) {
    assertThatThrownBy(() -> loader.load(dir.toString(), "auto", 1))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(
            "expected model.json + weights.safetensors (a Kiln artifact) or one .onnx file");
    assertThatThrownBy(() -> loader.load(dir.toString(), "kiln", 1))
        .hasMessageContaining("expected a Kiln artifact");
  }

  @Test
  void refusesMissingPathsAndS3WithoutAnEndpoint() {
    assertThatThrownBy(() -> loader.load("/nonexistent/model.onnx", "auto", 1))
        .hasMessageContaining("model not found: /nonexistent/model.onnx");
    assertThatThrownBy(() -> loader.load("s3://models/x/", "auto", 1))
        .hasMessageContaining("KILN_S3_ENDPOINT is not set");
    assertThatThrownBy(() -> loader.load("", "auto", 1)).hasMessageContaining("set KILN_MODEL_URI");
  }

  @Test
  void fetchesOnlyTheFilesTheChosenFormatNeeds() {
    List<String> keys =
        List.of("p/model.json", "p/weights.safetensors", "p/model.onnx", "p/checkpoints/x");
    assertThat(ModelFetcher.choose(keys, "p/", false))
        .containsExactly("p/model.json", "p/weights.safetensors");
    assertThat(ModelFetcher.choose(keys, "p/", true)).containsExactly("p/model.onnx");
    assertThat(ModelFetcher.choose(List.of("p/exported.onnx"), "p/", false))
        .containsExactly("p/exported.onnx");
    assertThat(ModelFetcher.choose(List.of("p/a.onnx", "p/b.onnx"), "p/", false)).isEmpty();
  }
}
