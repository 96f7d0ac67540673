package dev.kiln.endpoint.runner;

import dev.kiln.model.Predictor;
import dev.kiln.model.compute.ComputeBackend;
import dev.kiln.model.compute.ComputeBackends;
import dev.kiln.model.io.ModelArtifact;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A Kiln artifact ({@code model.json} + {@code weights.safetensors}) served with the model module's
 * own forward pass: the training preprocessing, the network, softmax.
 */
public final class KilnRunner implements ModelRunner {

  private final Predictor predictor;
  private final ComputeBackend backend;
  private final ModelSignature signature;

  /** Serves {@code predictor}; closing the runner closes it and {@code backend}. */
  public KilnRunner(Predictor predictor, ComputeBackend backend, String name) {
    this.predictor = predictor;
    this.backend = backend;
    this.signature =
        new ModelSignature(
            name,
            "kiln",
            "input",
            "FP32",
            new int[] {predictor.inputWidth()},
            predictor.outputName(),
            new int[] {predictor.outputWidth()},
            predictor.labels(),
            predictor.isClassification());
  }

  /**
   * Opens the artifact in {@code dir} on the CPU backend.
   *
   * @param threads compute threads; 0 means one per available processor
   */
  public static KilnRunner open(Path dir, int threads) {
    ModelArtifact artifact;
    try {
      artifact = ModelArtifact.load(dir);
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException(
          "cannot read the Kiln model in " + dir + ": " + e.getMessage(), e);
    }
    int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    ComputeBackend backend = ComputeBackends.create("cpu", n);
    Predictor predictor;
    try {
      predictor = artifact.predictor(backend);
    } catch (RuntimeException e) {
      backend.close();
      throw new ModelLoadException(
          "cannot build the Kiln model in " + dir + ": " + e.getMessage(), e);
    }
    Path named =
        dir.getFileName() != null && "model".equals(dir.getFileName().toString())
            ? dir.getParent()
            : dir;
    String name =
        named == null || named.getFileName() == null ? "model" : named.getFileName().toString();
    return new KilnRunner(predictor, backend, name);
  }

  @Override
  public ModelSignature signature() {
    return signature;
  }

  @Override
  public float[] run(float[] batch, int rows) {
    return predictor.predict(batch, rows);
  }

  @Override
  public void close() {
    predictor.close();
    backend.close();
  }
}
