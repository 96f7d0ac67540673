package dev.kiln.controlplane.tuning;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.api.Kiln;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.TuningJob;
import dev.kiln.api.status.TrainingJobStatus;
import dev.kiln.controlplane.core.StopSignal;
import dev.kiln.controlplane.kubernetes.StatusPatch;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a sweep's actions against the API server: trials created owned by the sweep, epochs raised
 * and early stops asked for with patches of the trial (never an update of the whole object), and
 * verdicts written through the status subresource.
 */
final class ClusterTrialActions {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterTrialActions.class);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final KubernetesClient client;
  private final TuningJob sweep;
  private final Function<String, TrainingJob> cached;
  private final Consumer<TrainingJob> created;
  private final Clock clock;

  /**
   * @param cached a trial by name from the informer's cache (null if absent)
   * @param created tells the informer's cache about a trial just created
   */
  ClusterTrialActions(
      KubernetesClient client,
      TuningJob sweep,
      Function<String, TrainingJob> cached,
      Consumer<TrainingJob> created,
      Clock clock) {
    this.client = client;
    this.sweep = sweep;
    this.cached = cached;
    this.created = created;
    this.clock = clock;
  }

  void run(SweepAction action) {
    if (action instanceof SweepAction.CreateTrial c) {
      create(c);
    } else if (action instanceof SweepAction.RaiseEpochs r) {
      raise(r);
    } else if (action instanceof SweepAction.EarlyStop s) {
      earlyStop(s);
    } else if (action instanceof SweepAction.MarkTrial m) {
      mark(m);
    } else if (action instanceof SweepAction.Event e) {
      event(e);
    }
  }

  private Resource<TrainingJob> trial(String name) {
    return client
        .resources(TrainingJob.class)
        .inNamespace(sweep.getMetadata().getNamespace())
        .withName(name);
  }

  private void create(SweepAction.CreateTrial c) {
    try {
      TrainingJob job =
          client
              .resources(TrainingJob.class)
              .inNamespace(sweep.getMetadata().getNamespace())
              .resource(c.job())
              .create();
      created.accept(job);
      LOG.info("created trial {}", job.getMetadata().getName());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  private void raise(SweepAction.RaiseEpochs r) {
    TrainingJob job = cached.apply(r.trial());
    if (job == null || job.getSpec().algorithm == null) {
      return;
    }
    ArrayNode patch = NODES.arrayNode();
    // The test makes a raise from a stale view fail instead of lowering the epochs.
    patch
        .addObject()
        .put("op", "test")
        .put("path", "/spec/algorithm/epochs")
        .put("value", job.getSpec().algorithm.epochs);
    patch
        .addObject()
        .put("op", "replace")
        .put("path", "/spec/algorithm/epochs")
        .put("value", r.epochs());
    try {
      trial(r.trial()).patch(PatchContext.of(PatchType.JSON), patch.toString());
      LOG.info("promoted trial {} to {} epochs", r.trial(), r.epochs());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 422) {
        throw e;
      }
      // The cache lagged behind a raise already made: the test op refused to make it twice.
      LOG.debug("trial {} was promoted already: {}", r.trial(), e.getMessage());
    }
  }

  private void earlyStop(SweepAction.EarlyStop s) {
    ObjectNode patch = NODES.objectNode();
    patch.putObject("metadata").putObject("annotations").put(StopSignal.EARLY_STOP, s.reason());
    trial(s.trial()).patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
    LOG.info("asked trial {} to stop: {}", s.trial(), s.reason());
  }

  private void mark(SweepAction.MarkTrial m) {
    TrainingJob job = cached.apply(m.trial());
    if (job == null) {
      return;
    }
    TrainingJobStatus status = TrialVerdicts.apply(job, m.verdict(), m.message(), clock.instant());
    if (status != null) {
      String patch = StatusPatch.between(job.getStatus(), status).toString();
      trial(m.trial()).subresource("status").patch(PatchContext.of(PatchType.JSON), patch);
    }
  }

  private void event(SweepAction.Event e) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    String message =
        e.message().length() > 1024 ? e.message().substring(0, 1021) + "..." : e.message();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                sweep.getMetadata().getName()
                    + "."
                    + UUID.randomUUID().toString().replace("-", "").substring(0, 16))
            .withNamespace(sweep.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(Kiln.API_VERSION)
                    .withKind(TuningJob.KIND)
                    .withName(sweep.getMetadata().getName())
                    .withNamespace(sweep.getMetadata().getNamespace())
                    .withUid(sweep.getMetadata().getUid())
                    .build())
            .withType(e.warning() ? "Warning" : "Normal")
            .withReason(e.reason().text())
            .withMessage(message)
            .withNewSource()
            .withComponent("kiln-control-plane")
            .endSource()
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    try {
      client.v1().events().inNamespace(sweep.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException ex) {
      LOG.warn("cannot record event {}: {}", e.reason().text(), ex.getMessage());
    }
  }
}
