package dev.kiln.controlplane.endpoint;

import dev.kiln.api.TrainingJob;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a shell observed of one endpoint: the TrainingJobs its models come from, the model versions
 * that run (replicas and which are ready), and what the router holds and measured.
 *
 * @param jobs the TrainingJobs named by {@code model.trainingJob} / {@code
 *     canary.model.trainingJob}
 * @param router empty when the router did not answer (nothing is routed or removed then)
 */
public record EndpointObserved(
    Map<String, TrainingJob> jobs, List<VersionState> versions, Optional<RouterState> router) {

  /**
   * One model version as it runs.
   *
   * @param replicas replicas asked for
   * @param readyBackends {@code host:port} of the ready replicas (local: each replica; cluster: the
   *     version's Service once a replica is ready)
   * @param inFlight prediction requests in flight over its ready replicas, as they report them
   * @param crashes replicas of this version that exited on their own (a model that cannot load)
   */
  public record VersionState(
      String key,
      String modelUri,
      int replicas,
      int ready,
      List<String> readyBackends,
      int inFlight,
      int crashes) {}

  /** A route as the router has it. */
  public record Route(String version, int weight, List<String> backends) {}

  /** What the router measured of a version since it first routed to it. */
  public record Stats(long requests, long errors, double p99Millis) {
    double errorRate() {
      return requests == 0 ? 0 : (double) errors / requests;
    }
  }

  /** The router's routes for the endpoint, its per-version stats and per-replica in-flight. */
  public record RouterState(
      List<Route> routes, Map<String, Stats> stats, Map<String, Integer> backendsInFlight) {
    static RouterState empty() {
      return new RouterState(List.of(), Map.of(), Map.of());
    }
  }

  Optional<VersionState> version(String key) {
    return versions.stream().filter(v -> v.key().equals(key)).findFirst();
  }
}
