package dev.kiln.endpoint;

import dev.kiln.endpoint.runner.ModelFetcher;
import dev.kiln.endpoint.runner.ModelLoader;
import dev.kiln.endpoint.runner.ModelRunner;
import dev.kiln.endpoint.runner.S3Settings;
import java.util.concurrent.CompletableFuture;

/**
 * Loads the model on a thread of its own, started as early as possible ({@link EndpointMain} starts
 * it before Quarkus boots, so that fetching, loading and the first, cold forward pass overlap the
 * framework's start); the app picks the result up once its HTTP server is up.
 */
public final class ModelBootstrap {

  /** A load in progress or done, for the settings it was started with. */
  public record Loading(
      EndpointSettings settings, CompletableFuture<ModelRunner> runner, long startNanos) {}

  private static Loading current;

  private ModelBootstrap() {}

  /** Starts loading for {@code settings}, unless a load for the same model was already started. */
  public static synchronized Loading start(EndpointSettings settings) {
    if (current != null && current.settings().sameModel(settings)) {
      return current;
    }
    CompletableFuture<ModelRunner> future = new CompletableFuture<>();
    Loading loading = new Loading(settings, future, System.nanoTime());
    Thread t =
        new Thread(
            () -> {
              try {
                ModelRunner runner =
                    new ModelLoader(new ModelFetcher(S3Settings.fromEnvironment()))
                        .load(settings.modelUri(), settings.modelFormat(), settings.threads());
                // The first forward pass is the slow one (cold code paths): pay it before serving.
                runner.run(new float[runner.signature().inputWidth()], 1);
                future.complete(runner);
              } catch (RuntimeException | Error e) {
                future.completeExceptionally(e);
              }
            },
            "kiln-model-loader");
    t.setDaemon(true);
    t.start();
    current = loading;
    return loading;
  }

  /** The server closed the model: a later start (a restarted app in the same JVM) loads anew. */
  public static synchronized void forget(Loading loading) {
    if (current == loading) {
      current = null;
    }
  }
}
