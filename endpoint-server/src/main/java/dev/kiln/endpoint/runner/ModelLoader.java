package dev.kiln.endpoint.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Opens the model at a URI: a Kiln artifact ({@code model.json} + {@code weights.safetensors}) with
 * the model module's own forward pass, or any {@code .onnx} file through ONNX Runtime.
 */
public final class ModelLoader {

  private final ModelFetcher fetcher;

  public ModelLoader(ModelFetcher fetcher) {
    this.fetcher = fetcher;
  }

  /**
   * Fetches and opens a model.
   *
   * @param format {@code auto} (a Kiln artifact when the folder holds one, else ONNX), {@code kiln}
   *     or {@code onnx}
   * @param threads compute threads; 0 keeps the runtime's default
   */
  public ModelRunner load(String uri, String format, int threads) {
    try (ModelFetcher.Fetched fetched = fetcher.fetch(uri, format.equals("onnx"))) {
      // Both runners read their files fully while opening, so the download can go right after.
      return open(fetched.path(), format, threads);
    }
  }

  /** Opens a model already on disk: a folder, a {@code .onnx} file or a {@code model.json}. */
  public static ModelRunner open(Path path, String format, int threads) {
    if (Files.isRegularFile(path)) {
      String file = path.getFileName().toString();
      if (file.endsWith(".onnx") && !format.equals("kiln")) {
        return OnnxRunner.open(path, threads);
      }
      if (file.equals("model.json") && !format.equals("onnx")) {
        return KilnRunner.open(path.getParent(), threads);
      }
      throw new ModelLoadException(
          path + ": expected a .onnx file, a model.json or a folder holding a model");
    }
    Path onnx = path.resolve("model.onnx");
    boolean kiln =
        Files.isRegularFile(path.resolve("model.json"))
            && Files.isRegularFile(path.resolve("weights.safetensors"));
    switch (format) {
      case "kiln" -> {
        if (!kiln) {
          throw new ModelLoadException(
              path + ": expected a Kiln artifact (model.json + weights.safetensors)");
        }
        return KilnRunner.open(path, threads);
      }
      case "onnx" -> {
        return OnnxRunner.open(onlyOnnx(path, onnx), threads);
      }
      default -> {
        return kiln
            ? KilnRunner.open(path, threads)
            : OnnxRunner.open(onlyOnnx(path, onnx), threads);
      }
    }
  }

  /**
   * The name a model is served under by default, from its URI: the folder above a Kiln layout's
   * {@code model/} ({@code s3://models/digits/model/} is {@code digits}), or the file's name
   * without {@code .onnx}.
   */
  public static String nameFor(String uri) {
    String path = uri.replaceFirst("^(s3://|file:)", "");
    List<String> parts = new java.util.ArrayList<>();
    for (String p : path.split("/")) {
      if (!p.isEmpty()) {
        parts.add(p);
      }
    }
    while (!parts.isEmpty()) {
      String last = parts.get(parts.size() - 1);
      if (last.equals("model") || last.equals("model.onnx") || last.equals("model.json")) {
        parts.remove(parts.size() - 1);
      } else {
        return last.endsWith(".onnx") ? last.substring(0, last.length() - 5) : last;
      }
    }
    return "model";
  }

  private static Path onlyOnnx(Path dir, Path preferred) {
    if (Files.isRegularFile(preferred)) {
      return preferred;
    }
    List<Path> found;
    try (Stream<Path> files = Files.list(dir)) {
      found = files.filter(p -> p.toString().endsWith(".onnx")).toList();
    } catch (IOException e) {
      throw new ModelLoadException("cannot read " + dir + ": " + e.getMessage(), e);
    }
    if (found.size() != 1) {
      throw new ModelLoadException(
          dir
              + ": expected model.json + weights.safetensors (a Kiln artifact) or one .onnx file, found "
              + (found.isEmpty() ? "neither" : found.size() + " .onnx files"));
    }
    return found.get(0);
  }
}
