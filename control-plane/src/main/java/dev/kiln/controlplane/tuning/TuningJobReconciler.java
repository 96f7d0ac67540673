package dev.kiln.controlplane.tuning;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kiln.api.Manifests;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.TuningJob;
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
import java.time.Clock;
import java.util.List;
import org.slf4j.MDC;

/**
 * The Kubernetes shell of the TuningJob core: observe (the informer cache of the sweep's trial
 * TrainingJobs, found by label and mapped back by owner reference) → decide (the pure core) → act
 * (create, patch) → record status (the status subresource, only when it changed).
 */
@ControllerConfiguration(name = TuningJobReconciler.NAME)
public class TuningJobReconciler implements Reconciler<TuningJob> {
  public static final String NAME = "tuningjob";

  private final TuningJobCore core = new TuningJobCore();
  private final KubernetesClient client;
  private final Clock clock;
  private InformerEventSource<TrainingJob, TuningJob> trials;

  public TuningJobReconciler(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, TuningJob>> prepareEventSources(
      EventSourceContext<TuningJob> context) {
    trials =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(TrainingJob.class, TuningJob.class)
                .withName("trials")
                .withLabelSelector(TrialNames.LABEL_SWEEP)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(TuningJob.class))
                .build(),
            context);
    return List.of(trials);
  }

  @Override
  public UpdateControl<TuningJob> reconcile(TuningJob sweep, Context<TuningJob> context) {
    var meta = sweep.getMetadata();
    MDC.put(
        "kiln.resource",
        " [" + meta.getNamespace() + "/" + meta.getName() + " gen=" + meta.getGeneration() + "]");
    try {
      List<TrainingJob> observed = List.copyOf(context.getSecondaryResources(TrainingJob.class));
      SweepDecision decision = core.reconcile(sweep, observed, clock.instant());
      ClusterTrialActions actions =
          new ClusterTrialActions(
              client,
              sweep,
              name -> trials.get(new ResourceID(name, meta.getNamespace())).orElse(null),
              job -> trials.handleRecentResourceCreate(ResourceID.fromResource(job), job),
              clock);
      decision.actions().forEach(actions::run);
      writeStatus(sweep, decision, context);
      UpdateControl<TuningJob> control = UpdateControl.noUpdate();
      decision.requeueAfter().ifPresent(control::rescheduleAfter);
      return control;
    } finally {
      MDC.remove("kiln.resource");
    }
  }

  /** The whole status in one {@code add /status}: valid whether or not the server has one yet. */
  private void writeStatus(TuningJob sweep, SweepDecision decision, Context<TuningJob> context) {
    if (!decision.statusChanged(sweep.getStatus())) {
      return;
    }
    ArrayNode patch = JsonNodeFactory.instance.arrayNode();
    patch
        .addObject()
        .put("op", "add")
        .put("path", "/status")
        .set("value", Manifests.json().valueToTree(decision.status()));
    TuningJob written =
        client
            .resources(TuningJob.class)
            .inNamespace(sweep.getMetadata().getNamespace())
            .withName(sweep.getMetadata().getName())
            .subresource("status")
            .patch(PatchContext.of(PatchType.JSON), patch.toString());
    context
        .eventSourceRetriever()
        .getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(sweep), written, sweep);
  }
}
