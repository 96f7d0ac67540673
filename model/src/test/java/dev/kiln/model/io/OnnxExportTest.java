package dev.kiln.model.io;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.kiln.model.Predictor;
import dev.kiln.model.compute.ComputeBackend;
import dev.kiln.model.compute.cpu.CpuBackend;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs Kiln's hand-encoded ONNX in ONNX Runtime and compares with Kiln's own forward pass. */
class OnnxExportTest {
  static final String REGRESSION =
      """
      {"model": {"layers": [{"dense": 12, "activation": "sigmoid"}, {"dropout": 0.5},
                            {"dense": 2, "activation": "linear"}]},
       "loss": "mse", "seed": 9}
      """;
  static final String MULTILABEL =
      """
      {"model": {"layers": [{"dense": 10, "activation": "relu"},
                            {"dense": 4, "activation": "sigmoid"}]},
       "loss": "binary_cross_entropy", "seed": 5}
      """;

  @ParameterizedTest
  @ValueSource(strings = {"classification", "regression", "multilabel"})
  void onnxRuntimeMatchesKilnsForwardPass(String kind, @TempDir Path dir) throws Exception {
    String algorithm =
        switch (kind) {
          case "classification" -> ModelArtifactTest.ALGORITHM;
          case "regression" -> REGRESSION;
          default -> MULTILABEL;
        };
    int features = 6;
    int rows = 37;
    try (ComputeBackend cpu = new CpuBackend(2)) {
      ModelArtifact artifact = ModelArtifactTest.artifact(cpu, algorithm, features);
      artifact.write(dir);
      float[] x = new float[rows * features];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) Math.sin(i * 0.37) * 8 + (i % features);
      }
      float[] kiln;
      String output;
      try (Predictor p = ModelArtifact.load(dir).predictor(cpu)) {
        kiln = p.predict(x, rows);
        output = p.outputName();
      }
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession session =
              env.createSession(
                  dir.resolve("model.onnx").toString(), new OrtSession.SessionOptions());
          OnnxTensor input =
              OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {rows, features})) {
        assertThat(session.getInputNames()).containsExactly("input");
        assertThat(session.getOutputNames()).containsExactly(output);
        try (OrtSession.Result result = session.run(Map.of("input", input))) {
          float[][] ort = (float[][]) result.get(0).getValue();
          int cols = kiln.length / rows;
          assertThat(ort.length).isEqualTo(rows);
          for (int r = 0; r < rows; r++) {
            assertThat(ort[r].length).isEqualTo(cols);
            for (int j = 0; j < cols; j++) {
              assertThat(ort[r][j])
                  .as("row %d output %d", r, j)
                  .isCloseTo(kiln[r * cols + j], org.assertj.core.data.Offset.offset(1e-5f));
            }
          }
        }
      }
    }
  }
}
