package dev.kiln.controlplane.endpoint;

import dev.kiln.api.Conditions;
import dev.kiln.api.InferenceEndpoint;
import dev.kiln.api.Manifests;
import dev.kiln.api.spec.InferenceEndpointSpec;
import dev.kiln.api.status.InferenceEndpointStatus;
import dev.kiln.controlplane.endpoint.EndpointAction.EnsureVersion;
import dev.kiln.controlplane.endpoint.EndpointObserved.Route;
import dev.kiln.controlplane.endpoint.EndpointObserved.RouterState;
import dev.kiln.controlplane.endpoint.EndpointObserved.VersionState;
import dev.kiln.controlplane.endpoint.ModelResolver.Resolution;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The InferenceEndpoint reconcile core, pure: {@code (endpoint, observed, now) -> actions and
 * status}. A new model version starts beside the one serving, takes the traffic once all its
 * replicas are ready, and the old one is stopped only once the router shows nothing in flight to
 * it. A canary takes its percentage once ready and is rolled back when the router measures it worse
 * than stable during the bake period. Replicas follow the in-flight requests they report.
 */
public final class EndpointCore {
  public static final String CANARY_BAKING = "CanaryBaking";
  public static final String CANARY_ROLLED_BACK = "CanaryRolledBack";
  static final Duration BUSY = Duration.ofSeconds(1);
  static final Duration IDLE = Duration.ofSeconds(3);

  /** One reconcile's working state. */
  private static final class Plan {
    final InferenceEndpoint endpoint;
    final InferenceEndpointSpec spec;
    final EndpointObserved observed;
    final Instant now;
    final Long generation;
    final InferenceEndpointStatus status;
    final List<EndpointAction> actions = new ArrayList<>();
    final Map<String, EnsureVersion> ensure = new LinkedHashMap<>();
    final List<Route> routes = new ArrayList<>();
    boolean busy;

    Plan(InferenceEndpoint endpoint, EndpointObserved observed, Instant now) {
      this.endpoint = endpoint;
      this.spec = endpoint.getSpec();
      this.observed = observed;
      this.now = now;
      this.generation = endpoint.getMetadata().getGeneration();
      InferenceEndpointStatus old = endpoint.getStatus();
      this.status = old == null ? new InferenceEndpointStatus() : Manifests.copy(old);
      if (status.conditions == null) {
        status.conditions = new ArrayList<>();
      }
      if (status.model == null) {
        status.model = new InferenceEndpointStatus.ModelVersions();
      }
    }

    void condition(String type, boolean value, EndpointReason reason, String message) {
      Conditions.set(status.conditions, type, value, reason.text(), message, generation, now);
    }

    void event(boolean warning, EndpointReason reason, String message) {
      actions.add(new EndpointAction.Event(warning, reason, message));
    }
  }

  /**
   * Decides what to do.
   *
   * @param url the endpoint's URL on the router
   * @param lowSince the autoscaler's memory from the previous decision
   */
  public EndpointDecision reconcile(
      InferenceEndpoint endpoint,
      EndpointObserved observed,
      String url,
      Instant lowSince,
      Instant now) {
    Plan plan = new Plan(endpoint, observed, now);
    plan.status.url = url;
    plan.status.observedGeneration = plan.generation;
    Resolution target = ModelResolver.resolve(plan.spec.model, observed.jobs());
    Optional<VersionState> serving = serving(plan);
    Autoscaler.Result scale = autoscale(plan, serving, target, lowSince);
    String stableKey = stable(plan, serving, target, scale.replicas());
    canary(plan, stableKey, scale.replicas());
    routes(plan);
    ensureAndRemove(plan);
    summarize(plan, target, stableKey, scale.replicas());
    return new EndpointDecision(
        List.copyOf(plan.actions), plan.status, scale.lowSince(), plan.busy ? BUSY : IDLE);
  }

  /** The version the router sends stable traffic to now, else one running the current model. */
  private static Optional<VersionState> serving(Plan plan) {
    String canaryKey = canaryUriKey(plan);
    Optional<RouterState> router = plan.observed.router();
    if (router.isPresent()) {
      for (Route r : router.get().routes()) {
        if (r.weight() > 0 && !r.version().equals(canaryKey)) {
          Optional<VersionState> v = plan.observed.version(r.version());
          if (v.isPresent()) {
            return v;
          }
        }
      }
    }
    String current = plan.status.model.current;
    return plan.observed.versions().stream()
        .filter(v -> v.modelUri().equals(current) && v.ready() > 0)
        .findFirst();
  }

  private static Autoscaler.Result autoscale(
      Plan plan, Optional<VersionState> serving, Resolution target, Instant lowSince) {
    InferenceEndpointSpec.Replicas bounds =
        plan.spec.replicas == null ? new InferenceEndpointSpec.Replicas() : plan.spec.replicas;
    InferenceEndpointSpec.Autoscaling auto =
        plan.spec.autoscaling == null
            ? new InferenceEndpointSpec.Autoscaling()
            : plan.spec.autoscaling;
    int current =
        serving
            .map(VersionState::replicas)
            .or(
                () ->
                    target.resolved()
                        ? plan.observed.version(key(plan, target.uri())).map(VersionState::replicas)
                        : Optional.empty())
            .orElse(Math.max(1, bounds.min));
    int inFlight =
        plan.observed.versions().stream()
            .filter(v -> !v.key().equals(canaryUriKey(plan)))
            .mapToInt(VersionState::inFlight)
            .sum();
    Autoscaler.Result result =
        Autoscaler.decide(
            current,
            inFlight,
            auto.targetInFlight,
            bounds.min,
            bounds.max,
            lowSince,
            Duration.ofSeconds(auto.scaleDownDelaySeconds),
            plan.now);
    if (result.reason() != null && result.replicas() != current && serving.isPresent()) {
      InferenceEndpointStatus.ScaleDecision d = new InferenceEndpointStatus.ScaleDecision();
      d.time = Conditions.timestamp(plan.now);
      d.from = current;
      d.to = result.replicas();
      d.reason = result.reason();
      plan.status.lastScale = d;
      boolean up = d.to > d.from;
      plan.event(
          false,
          up ? EndpointReason.ScaledUp : EndpointReason.ScaledDown,
          "replicas " + d.from + " -> " + d.to + ": " + d.reason);
    }
    return result;
  }

  /**
   * Keeps the serving version and starts the target beside it; the target becomes stable once all
   * its replicas are ready (at once when nothing serves yet and one is).
   */
  private static String stable(
      Plan plan, Optional<VersionState> serving, Resolution target, int replicas) {
    String servingKey = serving.map(VersionState::key).orElse(null);
    if (serving.isPresent()) {
      plan.ensure.put(
          servingKey, new EnsureVersion(servingKey, serving.get().modelUri(), replicas));
    }
    if (!target.resolved()) {
      return servingKey;
    }
    String targetKey = key(plan, target.uri());
    plan.ensure.put(targetKey, new EnsureVersion(targetKey, target.uri(), replicas));
    if (targetKey.equals(servingKey)) {
      plan.status.model.current = target.uri();
      return servingKey;
    }
    plan.busy = true;
    int ready = plan.observed.version(targetKey).map(VersionState::ready).orElse(0);
    boolean switchNow = servingKey == null ? ready > 0 : ready >= replicas;
    if (!switchNow || plan.observed.router().isEmpty()) {
      return servingKey;
    }
    if (servingKey != null) {
      plan.ensure.remove(servingKey);
      plan.event(
          false,
          EndpointReason.RolledOut,
          "rolled out " + target.uri() + " (was " + serving.get().modelUri() + ")");
    }
    plan.status.model.current = target.uri();
    return targetKey;
  }

  /** Starts, routes, judges and rolls back the canary. */
  private static void canary(Plan plan, String stableKey, int replicas) {
    InferenceEndpointSpec.Canary spec = plan.spec.canary;
    Resolution canary =
        spec == null ? null : ModelResolver.resolve(spec.model, plan.observed.jobs());
    String uri = canary != null && canary.resolved() ? canary.uri() : null;
    String previous = plan.status.model.canary;
    if (uri == null
        || stableKey == null
        || uri.equals(plan.status.model.rolledBack)
        || key(plan, uri).equals(stableKey)) {
      plan.status.model.canary = null;
      Conditions.remove(plan.status.conditions, CANARY_BAKING);
      addStableRoute(plan, stableKey, 100);
      return;
    }
    String key = key(plan, uri);
    int canaryReplicas = Math.max(1, (int) Math.round(replicas * spec.trafficPercent / 100.0));
    plan.ensure.put(key, new EnsureVersion(key, uri, canaryReplicas));
    Optional<VersionState> version = plan.observed.version(key);
    boolean started = uri.equals(previous);
    // A canary that stopped answering while it bakes is judged on what the router saw of it.
    if (started && judge(plan, spec, stableKey, key, uri)) {
      addStableRoute(plan, stableKey, 100);
      return;
    }
    if (version.isEmpty() || version.get().ready() == 0) {
      plan.busy = true;
      addStableRoute(plan, stableKey, 100);
      return;
    }
    if (!started) {
      Conditions.remove(plan.status.conditions, CANARY_BAKING);
      plan.status.model.canary = uri;
      plan.condition(
          CANARY_ROLLED_BACK, false, EndpointReason.CanaryStarted, "canary " + uri + " started");
      plan.event(
          false,
          EndpointReason.CanaryStarted,
          "canary " + uri + " takes " + spec.trafficPercent + "% of requests");
      judge(plan, spec, stableKey, key, uri);
    }
    addStableRoute(plan, stableKey, 100 - spec.trafficPercent);
    plan.routes.add(new Route(key, spec.trafficPercent, version.get().readyBackends()));
  }

  /** Judges the canary while it bakes; true when it was rolled back. */
  private static boolean judge(
      Plan plan, InferenceEndpointSpec.Canary spec, String stableKey, String key, String uri) {
    Optional<io.fabric8.kubernetes.api.model.Condition> baking =
        Conditions.find(plan.status.conditions, CANARY_BAKING);
    if (baking.isEmpty()) {
      plan.condition(
          CANARY_BAKING,
          true,
          EndpointReason.CanaryBaking,
          "canary " + uri + " bakes for " + spec.bakeSeconds + "s at " + spec.trafficPercent + "%");
      plan.busy = true;
      return false;
    }
    if (!"True".equals(baking.get().getStatus())) {
      return false;
    }
    plan.busy = true;
    Optional<RouterState> router = plan.observed.router();
    if (router.isPresent()) {
      Optional<CanaryJudge.Verdict> verdict =
          CanaryJudge.judge(
              router.get().stats().get(stableKey), router.get().stats().get(key), spec);
      int crashes = plan.observed.version(key).map(VersionState::crashes).orElse(0);
      if (verdict.isEmpty() && crashes > 0) {
        verdict =
            Optional.of(
                new CanaryJudge.Verdict(
                    EndpointReason.CanaryReplicaExited,
                    "a canary replica exited " + crashes + " time(s) while it baked"));
      }
      if (verdict.isPresent()) {
        String message = "rolled back canary " + uri + ": " + verdict.get().message();
        plan.status.model.rolledBack = uri;
        plan.status.model.canary = null;
        plan.ensure.remove(key);
        plan.condition(CANARY_BAKING, false, verdict.get().reason(), verdict.get().message());
        plan.condition(CANARY_ROLLED_BACK, true, verdict.get().reason(), message);
        plan.event(true, verdict.get().reason(), message);
        return true;
      }
    }
    Instant started = Instant.parse(baking.get().getLastTransitionTime());
    if (!plan.now.isBefore(started.plusSeconds(spec.bakeSeconds))) {
      String message = "canary " + uri + " was no worse than stable for " + spec.bakeSeconds + "s";
      plan.condition(CANARY_BAKING, false, EndpointReason.BakeSucceeded, message);
      plan.event(false, EndpointReason.BakeSucceeded, message);
    }
    return false;
  }

  private static void addStableRoute(Plan plan, String stableKey, int weight) {
    if (stableKey == null) {
      return;
    }
    List<String> backends =
        plan.observed.version(stableKey).map(VersionState::readyBackends).orElse(List.of());
    plan.routes.add(new Route(stableKey, weight, backends));
  }

  /** Pushes the routes when the router holds others. */
  private static void routes(Plan plan) {
    Optional<RouterState> router = plan.observed.router();
    if (router.isEmpty()) {
      plan.busy = true;
      return;
    }
    if (!sameRoutes(plan.routes, router.get().routes())) {
      plan.actions.add(new EndpointAction.PushRoutes(List.copyOf(plan.routes)));
      plan.busy = true;
    }
  }

  private static boolean sameRoutes(List<Route> a, List<Route> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      Route x = a.get(i);
      Route y = b.get(i);
      if (!x.version().equals(y.version())
          || x.weight() != y.weight()
          || !new java.util.TreeSet<>(x.backends()).equals(new java.util.TreeSet<>(y.backends()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Runs the versions it wants, and stops the others once the router neither routes to them nor has
   * a request in flight to them.
   */
  private static void ensureAndRemove(Plan plan) {
    for (EnsureVersion want : plan.ensure.values()) {
      Optional<VersionState> v = plan.observed.version(want.key());
      if (v.isEmpty() || v.get().replicas() != want.replicas()) {
        plan.actions.add(want);
        plan.busy = true;
      }
    }
    Optional<RouterState> router = plan.observed.router();
    if (router.isEmpty()) {
      return;
    }
    for (VersionState v : plan.observed.versions()) {
      if (plan.ensure.containsKey(v.key())) {
        continue;
      }
      plan.busy = true;
      boolean routed =
          router.get().routes().stream().anyMatch(r -> r.version().equals(v.key()))
              || plan.routes.stream().anyMatch(r -> r.version().equals(v.key()));
      boolean inFlight =
          v.readyBackends().stream()
              .anyMatch(b -> router.get().backendsInFlight().getOrDefault(b, 0) > 0);
      if (!routed && !inFlight) {
        plan.actions.add(new EndpointAction.RemoveVersion(v.key()));
      }
    }
  }

  private static String canaryUriKey(Plan plan) {
    InferenceEndpointSpec.Canary c = plan.spec.canary;
    if (c == null) {
      return null;
    }
    Resolution r = ModelResolver.resolve(c.model, plan.observed.jobs());
    return r.resolved() ? key(plan, r.uri()) : null;
  }

  static String key(Plan plan, String uri) {
    return VersionKeys.of(uri, plan.spec.batching);
  }

  /** Phase, replica counts and the Ready / Progressing conditions. */
  private static void summarize(Plan plan, Resolution target, String stableKey, int replicas) {
    InferenceEndpointStatus st = plan.status;
    int ready = 0;
    int desired = 0;
    for (Route r : plan.routes) {
      ready += plan.observed.version(r.version()).map(VersionState::ready).orElse(0);
      EnsureVersion e = plan.ensure.get(r.version());
      desired += e == null ? 0 : e.replicas();
    }
    st.replicas = new InferenceEndpointStatus.ReplicaCounts();
    st.replicas.ready = ready;
    st.replicas.desired = Math.max(desired, replicas);
    if (!target.resolved() && stableKey == null) {
      st.phase = target.failed() ? "Failed" : "Pending";
      plan.condition(Conditions.READY, false, target.reason(), target.message());
      plan.condition(Conditions.PROGRESSING, !target.failed(), target.reason(), target.message());
      return;
    }
    String targetKey = target.resolved() ? key(plan, target.uri()) : null;
    Optional<VersionState> t =
        targetKey == null ? Optional.empty() : plan.observed.version(targetKey);
    boolean crashing = t.isPresent() && t.get().crashes() >= 3 && t.get().ready() == 0;
    String cannotLoad =
        "replicas of "
            + (target.resolved() ? target.uri() : "")
            + " exit before they are ready;"
            + " see their logs";
    if (plan.observed.router().isEmpty()) {
      st.phase = "Deploying";
      plan.condition(
          Conditions.READY, false, EndpointReason.RouterUnavailable, "the router does not answer");
    } else if (stableKey == null || ready == 0) {
      st.phase = crashing ? "Failed" : "Deploying";
      plan.condition(
          Conditions.READY,
          false,
          crashing ? EndpointReason.ModelCannotLoad : EndpointReason.ReplicasStarting,
          crashing ? cannotLoad : "waiting for a replica of " + target.uri() + " to be ready");
    } else {
      st.phase = "Ready";
      plan.condition(
          Conditions.READY,
          true,
          EndpointReason.Serving,
          "serving " + st.model.current + " on " + ready + " ready replica(s)");
    }
    if (!target.resolved()) {
      plan.condition(Conditions.PROGRESSING, true, target.reason(), target.message());
    } else if (crashing) {
      plan.condition(Conditions.PROGRESSING, false, EndpointReason.ModelCannotLoad, cannotLoad);
    } else if (!targetKey.equals(stableKey)) {
      plan.condition(
          Conditions.PROGRESSING,
          true,
          EndpointReason.RollingOut,
          "rolling out "
              + target.uri()
              + ": "
              + t.map(VersionState::ready).orElse(0)
              + "/"
              + replicas
              + " replicas ready");
    } else if (ready < st.replicas.desired) {
      plan.condition(
          Conditions.PROGRESSING,
          true,
          EndpointReason.ReplicasStarting,
          ready + "/" + st.replicas.desired + " replicas ready");
    } else {
      plan.condition(Conditions.PROGRESSING, false, EndpointReason.RolledOut, "all replicas ready");
    }
  }
}
