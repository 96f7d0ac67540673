package dev.kiln.controlplane.kubernetes;

import dev.kiln.api.Kiln;
import dev.kiln.api.TrainingJob;
import dev.kiln.controlplane.core.Action;
import dev.kiln.controlplane.core.JobEffects;
import dev.kiln.controlplane.core.Reason;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes Events on the job, and deleting a job with what it owns. */
public class KubernetesJobEffects implements JobEffects {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesJobEffects.class);
  static final String COMPONENT = "kiln-control-plane";

  private final KubernetesClient client;
  private final Clock clock;

  public KubernetesJobEffects(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public void record(TrainingJob job, Action.EventType type, Reason reason, String message) {
    if (type == Action.EventType.Warning) {
      LOG.warn("{}: {}", reason, message);
    } else {
      LOG.info("{}: {}", reason, message);
    }
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                job.getMetadata().getName()
                    + "."
                    + UUID.randomUUID().toString().replace("-", "").substring(0, 16))
            .withNamespace(job.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(Kiln.API_VERSION)
                    .withKind(TrainingJob.KIND)
                    .withName(job.getMetadata().getName())
                    .withNamespace(job.getMetadata().getNamespace())
                    .withUid(job.getMetadata().getUid())
                    .build())
            .withType(type.name())
            .withReason(reason.text())
            // The API server limits event messages to 1 KiB.
            .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent("kiln.dev/" + COMPONENT)
            .withReportingInstance(COMPONENT)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    try {
      client.v1().events().inNamespace(job.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      // Events are informative; a job's reconcile never fails for one.
      LOG.warn("cannot record event {}: {}", reason, e.getMessage());
    }
  }

  /**
   * Deletes the job's children first: the garbage collector would, but not every API server runs
   * one (the test server does not), and ranks must never outlive their job.
   */
  @Override
  public void delete(TrainingJob job) {
    String ns = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName();
    String selector = Kiln.LABEL_JOB_UID + "=" + job.getMetadata().getUid();
    // One by one: a collection delete would need the deletecollection verb as well.
    for (Pod pod : client.pods().inNamespace(ns).withLabelSelector(selector).list().getItems()) {
      client.pods().inNamespace(ns).resource(pod).delete();
    }
    client.services().inNamespace(ns).withName(TrainingJobNames.service(name)).delete();
    client.configMaps().inNamespace(ns).withName(TrainingJobNames.configMap(name)).delete();
    client.secrets().inNamespace(ns).withName(TrainingJobNames.secret(name)).delete();
    client.resource(job).delete();
    LOG.info("deleted after ttlSecondsAfterFinished");
  }
}
