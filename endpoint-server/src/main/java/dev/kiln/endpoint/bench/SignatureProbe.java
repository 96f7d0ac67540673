package dev.kiln.endpoint.bench;

import dev.kiln.endpoint.runner.ModelFetcher;
import dev.kiln.endpoint.runner.ModelLoader;
import dev.kiln.endpoint.runner.ModelRunner;
import dev.kiln.endpoint.runner.S3Settings;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Prints a model's input as one JSON line ({@code input}, {@code width}, {@code shape} as AxB). */
public final class SignatureProbe {

  private SignatureProbe() {}

  public static void main(String[] args) {
    Args a = Args.parse(args);
    try (ModelRunner runner =
        new ModelLoader(new ModelFetcher(S3Settings.fromEnvironment()))
            .load(a.required("model"), a.get("format", "auto"), 1)) {
      System.out.println(
          "{\"input\":\""
              + runner.signature().inputName()
              + "\",\"width\":"
              + runner.signature().inputWidth()
              + ",\"shape\":\""
              + Arrays.stream(runner.signature().inputShape())
                  .mapToObj(Integer::toString)
                  .collect(Collectors.joining("x"))
              + "\"}");
    }
    // A child of the benchmark: exit at once, whatever threads a client library left behind.
    System.exit(0);
  }
}
