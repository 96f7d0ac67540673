package dev.kiln.cli.endpoint;

import dev.kiln.api.InferenceEndpoint;
import dev.kiln.api.status.InferenceEndpointStatus;
import dev.kiln.cli.KilnException;
import java.time.Duration;

/** Waits for an endpoint to serve. */
public final class EndpointWait {
  private EndpointWait() {}

  /**
   * Polls until the endpoint is Ready (and, when {@code uri} is given, serves it as its current
   * model); fails when it is Failed or the timeout passes.
   */
  public static InferenceEndpoint ready(
      EndpointBackend backend, String namespace, String name, String uri, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      InferenceEndpoint e =
          backend
              .get(namespace, name)
              .orElseThrow(() -> KilnException.failed("endpoint " + name + " vanished", null));
      InferenceEndpointStatus s = e.getStatus();
      if (s != null
          && "Ready".equals(s.phase)
          && (uri == null || (s.model != null && uri.equals(s.model.current)))) {
        return e;
      }
      if (s != null && "Failed".equals(s.phase)) {
        throw KilnException.failed(
            "endpoint " + name + " failed: " + EndpointGet.readyMessage(s),
            "kiln endpoint get " + name);
      }
      last = s == null ? "Pending" : s.phase + " " + EndpointGet.readyMessage(s);
      try {
        Thread.sleep(250);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw KilnException.failed("interrupted", null);
      }
    }
    throw KilnException.failed(
        "endpoint " + name + " not ready within " + timeout.toSeconds() + "s (" + last + ")",
        "kiln endpoint get " + name);
  }
}
