package dev.kiln.endpoint.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.endpoint.bench.BenchModel;
import dev.kiln.endpoint.testing.S3Server;
import dev.kiln.endpoint.testing.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Models fetched from a real S3 API (s3proxy), as the server fetches them at start. */
class S3ModelIT {

  @TempDir static Path tmp;
  private static S3Server s3;
  private static ModelLoader loader;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3Server.start(Files.createDirectories(tmp.resolve("s3")));
    s3.createBucket("models");
    Path model = BenchModel.write(tmp.resolve("digits/model"), 64, new int[] {16}, 10, 5);
    s3.uploadFolder(model, "models", "digits/model/");
    s3.upload(OnnxRunnerTest.MODELS.resolve("torch_mlp_64_10.onnx"), "models", "torch/mlp.onnx");
    loader =
        new ModelLoader(
            new ModelFetcher(
                new S3Settings(
                    Optional.of(s3.endpoint()),
                    S3Server.ACCESS_KEY,
                    S3Server.SECRET_KEY,
                    "us-east-1")));
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
  }

  @Test
  void loadsAKilnArtifactFromAPrefix() {
    try (ModelRunner r = loader.load("s3://models/digits/model/", "auto", 1)) {
      assertThat(r.signature().platform()).isEqualTo("kiln");
      assertThat(r.run(BenchModel.rows(2, 64, 1), 2)).hasSize(20);
    }
  }

  @Test
  void loadsTheArtifactsOnnxFileWhenAskedTo() {
    try (ModelRunner r = loader.load("s3://models/digits/model/", "onnx", 1)) {
      assertThat(r.signature().platform()).isEqualTo("onnxruntime");
    }
  }

  @Test
  void loadsASingleOnnxObject() {
    try (ModelRunner r = loader.load("s3://models/torch/mlp.onnx", "auto", 1)) {
      assertThat(r.signature().name()).isEqualTo("mlp");
      assertThat(r.signature().inputWidth()).isEqualTo(64);
    }
  }

  @Test
  void saysWhatIsMissing() {
    assertThatThrownBy(() -> loader.load("s3://models/nothing/", "auto", 1))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("no model under s3://models/nothing/")
        .hasMessageContaining("expected model.json + weights.safetensors, or a .onnx file");
    assertThatThrownBy(() -> loader.load("s3://models/torch/missing.onnx", "auto", 1))
        .hasMessageContaining("cannot download s3://models/torch/missing.onnx");
  }

  @Test
  void packagedServerStartsFromAModelInS3() throws Exception {
    java.util.Map<String, String> env = new java.util.HashMap<>(s3.env());
    env.put("KILN_MODEL_URI", "s3://models/digits/model/");
    try (ServerProcess server = ServerProcess.start(env, tmp)) {
      server.awaitReady();
      assertThat(server.get("/v2/models/digits").body()).contains("\"platform\":\"kiln\"");
      java.net.http.HttpResponse<String> r =
          server.post("/invocations", "text/csv", "0.5,".repeat(63) + "0.5\n");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).startsWith("{\"predictions\":[{\"label\":");
    }
  }

  @Test
  void refusesWrongCredentials() {
    ModelLoader wrong =
        new ModelLoader(
            new ModelFetcher(
                new S3Settings(Optional.of(s3.endpoint()), "nobody", "nothing", "us-east-1")));
    assertThatThrownBy(() -> wrong.load("s3://models/digits/model/", "auto", 1))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("cannot list s3://models/digits/model/");
  }
}
