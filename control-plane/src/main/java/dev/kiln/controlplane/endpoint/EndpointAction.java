package dev.kiln.controlplane.endpoint;

import dev.kiln.controlplane.endpoint.EndpointObserved.Route;
import java.util.List;

/** What the endpoint core asks a shell to do; each is idempotent. */
public sealed interface EndpointAction {

  /** Run {@code replicas} replicas of a model version (start or stop some as needed). */
  record EnsureVersion(String key, String modelUri, int replicas) implements EndpointAction {}

  /** Stop every replica of a version that the router no longer sends requests to. */
  record RemoveVersion(String key) implements EndpointAction {}

  /** Replace the endpoint's routes on the router. */
  record PushRoutes(List<Route> routes) implements EndpointAction {}

  /** Record an event on the endpoint. */
  record Event(boolean warning, EndpointReason reason, String message) implements EndpointAction {}
}
