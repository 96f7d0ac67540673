package dev.kiln.endpoint;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The server's main class ({@code java -jar target/quarkus-app/quarkus-run.jar}): starts loading
 * the model from the {@code KILN_*} environment, then boots Quarkus while it loads.
 */
@QuarkusMain
public final class EndpointMain {

  private EndpointMain() {}

  public static void main(String... args) {
    try {
      ModelBootstrap.start(EndpointSettings.fromEnvironment());
    } catch (IllegalArgumentException e) {
      // A bad setting: the app reads the same settings again at startup and stops with the message.
    }
    Quarkus.run(args);
  }
}
