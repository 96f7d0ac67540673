package dev.kiln.controlplane.endpoint.kubernetes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.kiln.api.InferenceEndpoint;
import dev.kiln.api.Manifests;
import dev.kiln.api.TrainingJob;
import dev.kiln.controlplane.endpoint.EndpointAction;
import dev.kiln.controlplane.endpoint.EndpointCore;
import dev.kiln.controlplane.endpoint.EndpointDecision;
import dev.kiln.controlplane.endpoint.EndpointObserved;
import dev.kiln.controlplane.endpoint.RouterClient;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.ConfigProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The Kubernetes shell of {@link EndpointCore}: observe (the endpoint's Deployments and pods, the
 * router's routes and stats, the TrainingJobs its models come from) → decide → act (a Deployment
 * and Service per model version, routes pushed to the router, Events) → record status (a JSON patch
 * of the status subresource, only when it changed). It looks again as the core asks, so a rollout
 * or canary moves on as replicas become ready.
 */
@ControllerConfiguration(name = InferenceEndpointReconciler.NAME)
public class InferenceEndpointReconciler implements Reconciler<InferenceEndpoint> {
  public static final String NAME = "inferenceendpoint";
  private static final Logger LOG = LoggerFactory.getLogger(InferenceEndpointReconciler.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final EndpointCore core = new EndpointCore();
  private final ClusterEndpointSettings settings;
  private final RouterClient router;
  private final ClusterEndpointObserver observer;
  private final Map<String, Instant> lowSince = new ConcurrentHashMap<>();

  public InferenceEndpointReconciler(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
    this.settings = ClusterEndpointSettings.from(ConfigProvider.getConfig());
    this.router = new RouterClient(settings.routerUrl(), settings.routerToken());
    this.observer = new ClusterEndpointObserver(client);
  }

  @Override
  public UpdateControl<InferenceEndpoint> reconcile(
      InferenceEndpoint endpoint, Context<InferenceEndpoint> context) {
    String name = endpoint.getMetadata().getName();
    String uid = endpoint.getMetadata().getUid();
    MDC.put("kiln.resource", " [" + endpoint.getMetadata().getNamespace() + "/" + name + "]");
    try {
      EndpointObserved observed =
          new EndpointObserved(jobs(endpoint), observer.versions(endpoint), router.get(name));
      EndpointDecision decision =
          core.reconcile(
              endpoint,
              observed,
              settings.routerUrl() + "/endpoints/" + name,
              lowSince.get(uid),
              clock.instant());
      if (decision.lowSince() == null) {
        lowSince.remove(uid);
      } else {
        lowSince.put(uid, decision.lowSince());
      }
      ensureSecret(endpoint);
      decision.actions().forEach(a -> apply(endpoint, a));
      writeStatus(endpoint, decision, context);
      UpdateControl<InferenceEndpoint> control = UpdateControl.noUpdate();
      return control.rescheduleAfter(decision.requeueAfter());
    } finally {
      MDC.remove("kiln.resource");
    }
  }

  private Map<String, TrainingJob> jobs(InferenceEndpoint endpoint) {
    Map<String, TrainingJob> jobs = new HashMap<>();
    var spec = endpoint.getSpec();
    for (var source :
        new dev.kiln.api.spec.InferenceEndpointSpec.ModelSource[] {
          spec.model, spec.canary == null ? null : spec.canary.model
        }) {
      if (source != null && source.trainingJob != null) {
        TrainingJob job =
            client
                .resources(TrainingJob.class)
                .inNamespace(endpoint.getMetadata().getNamespace())
                .withName(source.trainingJob)
                .get();
        if (job != null) {
          jobs.put(source.trainingJob, job);
        }
      }
    }
    return jobs;
  }

  private void apply(InferenceEndpoint e, EndpointAction action) {
    String ns = e.getMetadata().getNamespace();
    if (action instanceof EndpointAction.EnsureVersion v) {
      ensureVersion(e, v);
    } else if (action instanceof EndpointAction.RemoveVersion r) {
      client.services().inNamespace(ns).withName(EndpointResources.name(e, r.key())).delete();
      client
          .apps()
          .deployments()
          .inNamespace(ns)
          .withName(EndpointResources.name(e, r.key()))
          .delete();
    } else if (action instanceof EndpointAction.PushRoutes p) {
      if (!router.put(e.getMetadata().getName(), p.routes())) {
        LOG.warn("the router at {} did not take the new routes", settings.routerUrl());
      }
    } else if (action instanceof EndpointAction.Event ev) {
      event(e, ev);
    }
  }

  private void ensureVersion(InferenceEndpoint e, EndpointAction.EnsureVersion v) {
    String ns = e.getMetadata().getNamespace();
    String name = EndpointResources.name(e, v.key());
    var deployments = client.apps().deployments().inNamespace(ns);
    Deployment existing = deployments.withName(name).get();
    if (existing == null) {
      deployments
          .resource(EndpointResources.deployment(e, v.key(), v.modelUri(), v.replicas(), settings))
          .create();
    } else if (!Integer.valueOf(v.replicas()).equals(existing.getSpec().getReplicas())) {
      deployments
          .withName(name)
          .edit(
              d -> {
                d.getSpec().setReplicas(v.replicas());
                return d;
              });
    }
    if (client.services().inNamespace(ns).withName(name).get() == null) {
      client.services().inNamespace(ns).resource(EndpointResources.service(e, v.key())).create();
    }
  }

  private void ensureSecret(InferenceEndpoint e) {
    String ns = e.getMetadata().getNamespace();
    if (client.secrets().inNamespace(ns).withName(EndpointResources.secretName(e)).get() == null) {
      client.secrets().inNamespace(ns).resource(EndpointResources.secret(e, settings)).create();
    }
  }

  private void event(InferenceEndpoint e, EndpointAction.Event ev) {
    String now = dev.kiln.api.Conditions.timestamp(clock.instant());
    client
        .v1()
        .events()
        .inNamespace(e.getMetadata().getNamespace())
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withName(e.getMetadata().getName() + "." + UUID.randomUUID())
                .endMetadata()
                .withInvolvedObject(
                    new ObjectReferenceBuilder()
                        .withApiVersion(e.getApiVersion())
                        .withKind(InferenceEndpoint.KIND)
                        .withName(e.getMetadata().getName())
                        .withNamespace(e.getMetadata().getNamespace())
                        .withUid(e.getMetadata().getUid())
                        .build())
                .withType(ev.warning() ? "Warning" : "Normal")
                .withReason(ev.reason().text())
                .withMessage(ev.message())
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource("kiln-control-plane", null)
                .build())
        .create();
  }

  /** Replaces the status through the status subresource, only when it changed. */
  private void writeStatus(
      InferenceEndpoint e, EndpointDecision decision, Context<InferenceEndpoint> context) {
    if (!decision.statusChanged(e.getStatus())) {
      return;
    }
    ArrayNode patch = Manifests.json().createArrayNode();
    patch
        .addObject()
        .put("op", "add")
        .put("path", "/status")
        .set("value", Manifests.json().valueToTree(decision.status()));
    InferenceEndpoint written =
        client
            .resources(InferenceEndpoint.class)
            .inNamespace(e.getMetadata().getNamespace())
            .withName(e.getMetadata().getName())
            .subresource("status")
            .patch(PatchContext.of(PatchType.JSON), patch.toString());
    // The next reconcile must see this status, not the informer's older copy.
    context
        .eventSourceRetriever()
        .getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(e), written, e);
  }
}
