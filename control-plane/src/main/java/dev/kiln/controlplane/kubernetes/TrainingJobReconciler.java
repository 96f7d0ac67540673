package dev.kiln.controlplane.kubernetes;

import dev.kiln.api.Kiln;
import dev.kiln.api.TrainingJob;
import dev.kiln.controlplane.core.Action;
import dev.kiln.controlplane.core.Decision;
import dev.kiln.controlplane.core.DecisionRunner;
import dev.kiln.controlplane.core.TrainingJobCore;
import dev.kiln.controlplane.http.ControlPlaneMetrics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.prometheus.client.Histogram;
import java.time.Clock;
import java.util.List;

/**
 * The Kubernetes shell of the TrainingJob core: observe (informer caches of the job's pods,
 * ConfigMap and Service) → decide (the pure core) → act (create/delete children, events) → record
 * status (a JSON Patch of the status subresource, only when it changed).
 */
@ControllerConfiguration(name = TrainingJobReconciler.NAME)
public class TrainingJobReconciler implements Reconciler<TrainingJob> {
  public static final String NAME = "trainingjob";

  private final TrainingJobCore core;
  private final KubernetesWorkloads workloads;
  private final DecisionRunner runner;
  private final JobDirectory directory;
  private final Clock clock;
  private final KubernetesClient client;

  public TrainingJobReconciler(
      KubernetesClient client,
      TrainingJobCore core,
      KubernetesWorkloads workloads,
      KubernetesJobEffects effects,
      JobDirectory directory,
      Clock clock) {
    this.client = client;
    this.core = core;
    this.workloads = workloads;
    this.runner = new DecisionRunner(workloads, effects);
    this.directory = directory;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, TrainingJob>> prepareEventSources(
      EventSourceContext<TrainingJob> context) {
    var pods = new InformerEventSource<>(children(Pod.class, "rank-pods"), context);
    var configMaps =
        new InformerEventSource<>(children(ConfigMap.class, "spec-configmaps"), context);
    var services = new InformerEventSource<>(children(Service.class, "rank-services"), context);
    workloads.attach(new KubernetesWorkloads.Informers(pods, configMaps, services));
    return List.of(pods, configMaps, services);
  }

  @Override
  public UpdateControl<TrainingJob> reconcile(TrainingJob job, Context<TrainingJob> context) {
    try (JobMdc mdc = JobMdc.of(job);
        Histogram.Timer timer =
            ControlPlaneMetrics.RECONCILE_SECONDS.labels(TrainingJob.KIND).startTimer()) {
      directory.remember(job);
      Decision decision = core.reconcile(job, workloads.observe(job), clock.instant());
      runner.run(job, decision);
      writeStatus(job, decision, context);
      ControlPlaneMetrics.RECONCILES.labels(TrainingJob.KIND, "ok").inc();
      UpdateControl<TrainingJob> control = UpdateControl.noUpdate();
      decision.requeueAfter().ifPresent(control::rescheduleAfter);
      return control;
    } catch (RuntimeException e) {
      ControlPlaneMetrics.RECONCILES.labels(TrainingJob.KIND, "error").inc();
      throw e;
    }
  }

  /**
   * Patches the status subresource with what changed, only when something did, and tells the
   * controller's cache so the next reconcile sees it. (JOSDK's own patchStatus diffs against the
   * deserialized job, whose status is never null, so its first patch of a new job would address
   * {@code /status/...} on a server that has no status yet.)
   */
  private void writeStatus(TrainingJob job, Decision decision, Context<TrainingJob> context) {
    if (!decision.statusChanged(job.getStatus())
        || decision.actions().stream().anyMatch(a -> a instanceof Action.DeleteJob)) {
      return;
    }
    String patch = StatusPatch.between(job.getStatus(), decision.status()).toString();
    TrainingJob written =
        client
            .resources(TrainingJob.class)
            .inNamespace(job.getMetadata().getNamespace())
            .withName(job.getMetadata().getName())
            .subresource("status")
            .patch(PatchContext.of(PatchType.JSON), patch);
    ControlPlaneMetrics.STATUS_WRITES.labels(TrainingJob.KIND).inc();
    context
        .eventSourceRetriever()
        .getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(job), written, job);
  }

  /** Children are found by the job-uid label and mapped back by their owner reference. */
  private static <R extends HasMetadata> InformerEventSourceConfiguration<R> children(
      Class<R> type, String name) {
    return InformerEventSourceConfiguration.from(type, TrainingJob.class)
        .withName(name)
        .withLabelSelector(Kiln.LABEL_JOB_UID)
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(TrainingJob.class))
        .build();
  }
}
