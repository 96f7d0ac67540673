package dev.kiln.cli.demo;

import dev.kiln.model.Predictor;
import dev.kiln.model.compute.ComputeBackends;
import dev.kiln.model.io.ModelArtifact;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The accuracy of a trained model on rows it never saw: loads the model's artifacts (model.json +
 * weights.safetensors) with the model module, runs its forward pass on every row of a CSV, and
 * compares the predicted class with the label column.
 */
final class HeldOutAccuracy {
  /** Rows predicted right out of rows. */
  record Result(int correct, int rows) {
    double accuracy() {
      return rows == 0 ? 0 : (double) correct / rows;
    }
  }

  private HeldOutAccuracy() {}

  static Result measure(Path modelDir, Path csv, String labelColumn) throws IOException {
    ModelArtifact artifact = ModelArtifact.load(modelDir);
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    List<String> header = Arrays.asList(lines.get(0).split(","));
    int label = header.indexOf(labelColumn);
    if (label < 0) {
      throw new IOException(csv + " has no column " + labelColumn);
    }
    int[] columns = featureColumns(artifact, header, label);
    List<String[]> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (!line.isBlank()) {
        rows.add(line.split(","));
      }
    }
    float[] x = new float[rows.size() * columns.length];
    for (int r = 0; r < rows.size(); r++) {
      for (int c = 0; c < columns.length; c++) {
        x[r * columns.length + c] = Float.parseFloat(rows.get(r)[columns[c]].trim());
      }
    }
    try (Predictor predictor = artifact.predictor(ComputeBackends.cpu())) {
      float[] out = predictor.predict(x, rows.size());
      int[] best = Predictor.argmax(out, rows.size(), predictor.outputWidth());
      List<String> classes = predictor.labels();
      int correct = 0;
      for (int r = 0; r < rows.size(); r++) {
        String predicted = classes.isEmpty() ? Integer.toString(best[r]) : classes.get(best[r]);
        if (sameLabel(predicted, rows.get(r)[label].trim())) {
          correct++;
        }
      }
      return new Result(correct, rows.size());
    }
  }

  /** The CSV column of each model input: by the feature names in model.json, else in order. */
  private static int[] featureColumns(ModelArtifact artifact, List<String> header, int label) {
    Object names = artifact.metadata().get("features");
    if (names instanceof List<?> list && !list.isEmpty()) {
      return list.stream().mapToInt(n -> header.indexOf(String.valueOf(n))).toArray();
    }
    int[] columns = new int[header.size() - 1];
    for (int i = 0, c = 0; i < header.size(); i++) {
      if (i != label) {
        columns[c++] = i;
      }
    }
    return columns;
  }

  private static boolean sameLabel(String a, String b) {
    if (a.equals(b)) {
      return true;
    }
    try {
      return Double.parseDouble(a) == Double.parseDouble(b);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
