package dev.kiln.controlplane.endpoint;

import dev.kiln.api.InferenceEndpoint;
import dev.kiln.api.TrainingJob;
import dev.kiln.controlplane.endpoint.EndpointObserved.Route;
import dev.kiln.controlplane.endpoint.EndpointObserved.RouterState;
import dev.kiln.controlplane.endpoint.EndpointObserved.Stats;
import dev.kiln.controlplane.endpoint.EndpointObserved.VersionState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * A fake of what the shells observe: versions whose replicas become ready one step after they are
 * asked for, a router that takes pushed routes and reports stats the test sets, and a clock.
 */
final class FakeEndpointWorld {
  final EndpointCore core = new EndpointCore();
  final Map<String, TrainingJob> jobs = new HashMap<>();
  final Map<String, VersionState> versions = new LinkedHashMap<>();
  final Map<String, Stats> stats = new HashMap<>();
  final Map<String, Integer> inFlight = new HashMap<>();
  final Map<String, Integer> crashes = new HashMap<>();
  final List<EndpointAction> log = new ArrayList<>();
  List<Route> routes = List.of();
  boolean routerUp = true;
  boolean startReady = true;
  Instant now = Instant.parse("2026-01-01T00:00:00Z");
  Instant lowSince;
  InferenceEndpoint endpoint;

  FakeEndpointWorld(InferenceEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  EndpointObserved observed() {
    return new EndpointObserved(
        jobs,
        List.copyOf(versions.values()),
        routerUp
            ? Optional.of(new RouterState(routes, Map.copyOf(stats), Map.copyOf(inFlight)))
            : Optional.empty());
  }

  /** One reconcile: decide, apply the actions, keep the status; returns the decision. */
  EndpointDecision reconcile() {
    EndpointDecision d =
        core.reconcile(endpoint, observed(), "http://router/endpoints/x", lowSince, now);
    lowSince = d.lowSince();
    for (EndpointAction a : d.actions()) {
      log.add(a);
      if (a instanceof EndpointAction.EnsureVersion e) {
        VersionState old = versions.get(e.key());
        int ready = old == null ? 0 : Math.min(old.ready(), e.replicas());
        versions.put(e.key(), version(e.key(), e.modelUri(), e.replicas(), ready, 0));
      } else if (a instanceof EndpointAction.RemoveVersion r) {
        versions.remove(r.key());
      } else if (a instanceof EndpointAction.PushRoutes p) {
        routes = p.routes();
      }
    }
    endpoint.setStatus(d.status());
    return d;
  }

  /** Replicas asked for become ready (when {@link #startReady}). */
  void replicasStart() {
    if (!startReady) {
      return;
    }
    versions.replaceAll(
        (k, v) -> version(k, v.modelUri(), v.replicas(), v.replicas(), inFlightOf(k)));
  }

  /** Reconciles and lets replicas start, {@code n} times, a second apart. */
  EndpointDecision settle(int n) {
    EndpointDecision d = null;
    for (int i = 0; i < n; i++) {
      d = reconcile();
      replicasStart();
      now = now.plus(Duration.ofSeconds(1));
    }
    return d;
  }

  void load(String key, int requestsInFlight) {
    VersionState v = versions.get(key);
    versions.put(
        key,
        new VersionState(
            key,
            v.modelUri(),
            v.replicas(),
            v.ready(),
            v.readyBackends(),
            requestsInFlight,
            v.crashes()));
  }

  private int inFlightOf(String key) {
    VersionState v = versions.get(key);
    return v == null ? 0 : v.inFlight();
  }

  private VersionState version(String key, String uri, int replicas, int ready, int load) {
    List<String> backends =
        IntStream.range(0, ready).mapToObj(i -> key + "-" + i + ":8080").toList();
    return new VersionState(
        key, uri, replicas, ready, backends, load, crashes.getOrDefault(key, 0));
  }

  Optional<Route> route(String key) {
    return routes.stream().filter(r -> r.version().equals(key)).findFirst();
  }
}
