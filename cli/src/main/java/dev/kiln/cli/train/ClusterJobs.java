package dev.kiln.cli.train;

import dev.kiln.api.TrainingJob;
import dev.kiln.cli.KilnException;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * TrainingJobs on a cluster, through the user's kubeconfig context and the CRs directly, so their
 * own RBAC applies; logs through {@code pods/log} of the rank pods.
 */
final class ClusterJobs implements JobBackend {
  /** The container that runs a rank in its pod. */
  static final String TRAINER = "trainer";

  private static final int APPLY_ATTEMPTS = 5;
  private static final Set<String> DONE = Set.of("Succeeded", "Failed");

  private final String context;
  private final KubernetesClient client;

  ClusterJobs(String context) {
    this.context = context;
    this.client = new KubernetesClientBuilder().withConfig(Config.autoConfigure(context)).build();
  }

  @Override
  public String where() {
    return "context " + context;
  }

  /**
   * Creates the job, or replaces the spec, labels and annotations of the one there under its
   * resourceVersion (a concurrent writer makes it read again): status stays the controller's.
   */
  @Override
  public TrainingJob apply(TrainingJob job) {
    String ns = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName();
    for (int i = 0; i < APPLY_ATTEMPTS; i++) {
      TrainingJob current = get(ns, name).orElse(null);
      try {
        if (current == null) {
          job.setStatus(null);
          return client.resources(TrainingJob.class).inNamespace(ns).resource(job).create();
        }
        current.setSpec(job.getSpec());
        current
            .getMetadata()
            .setLabels(merge(current.getMetadata().getLabels(), job.getMetadata().getLabels()));
        current
            .getMetadata()
            .setAnnotations(
                merge(current.getMetadata().getAnnotations(), job.getMetadata().getAnnotations()));
        return client.resources(TrainingJob.class).inNamespace(ns).resource(current).update();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw translate(e);
        }
      }
    }
    throw KilnException.failed(
        "TrainingJob " + ns + "/" + name + " kept changing while it was applied", "try again");
  }

  private static java.util.Map<String, String> merge(
      java.util.Map<String, String> current, java.util.Map<String, String> wanted) {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    if (current != null) {
      out.putAll(current);
    }
    if (wanted != null) {
      out.putAll(wanted);
    }
    return out.isEmpty() ? null : out;
  }

  @Override
  public Optional<TrainingJob> get(String namespace, String name) {
    return call(
        () ->
            Optional.ofNullable(
                client.resources(TrainingJob.class).inNamespace(namespace).withName(name).get()));
  }

  @Override
  public List<TrainingJob> list(String namespace) {
    return call(
        () ->
            namespace == null
                ? client.resources(TrainingJob.class).inAnyNamespace().list().getItems()
                : client.resources(TrainingJob.class).inNamespace(namespace).list().getItems());
  }

  @Override
  public boolean delete(String namespace, String name) {
    return call(
        () ->
            !client
                .resources(TrainingJob.class)
                .inNamespace(namespace)
                .withName(name)
                .delete()
                .isEmpty());
  }

  @Override
  public List<JobEvent> events(TrainingJob job) {
    return call(
        () ->
            client
                .v1()
                .events()
                .inNamespace(job.getMetadata().getNamespace())
                .withField("involvedObject.uid", job.getMetadata().getUid())
                .list()
                .getItems()
                .stream()
                .sorted(
                    Comparator.comparing(
                        ClusterJobs::time, Comparator.nullsFirst(Comparator.naturalOrder())))
                .map(e -> new JobEvent(time(e), e.getType(), e.getReason(), e.getMessage()))
                .toList());
  }

  private static String time(Event e) {
    return Objects.requireNonNullElse(e.getLastTimestamp(), e.getFirstTimestamp());
  }

  @Override
  public void logs(TrainingJob job, int rank, int attempt, boolean follow, OutputStream out) {
    int a = attempt > 0 ? attempt : attemptInForce(job);
    String pod = job.getMetadata().getName() + "-" + a + "-" + rank;
    PodResource resource =
        client.pods().inNamespace(job.getMetadata().getNamespace()).withName(pod);
    call(
        () -> {
          if (!follow) {
            String log = resource.inContainer(TRAINER).getLog();
            try {
              out.write(log.getBytes(StandardCharsets.UTF_8));
              out.flush();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            return null;
          }
          try (LogWatch watch = resource.inContainer(TRAINER).watchLog(out)) {
            resource.waitUntilCondition(
                p ->
                    p == null || (p.getStatus() != null && DONE.contains(p.getStatus().getPhase())),
                7,
                java.util.concurrent.TimeUnit.DAYS);
          }
          return null;
        });
  }

  private static int attemptInForce(TrainingJob job) {
    Integer a = job.getStatus() == null ? null : job.getStatus().attempt;
    return a == null || a == 0 ? 1 : a;
  }

  @Override
  public boolean localWorkdirs() {
    return false;
  }

  private <R> R call(java.util.function.Supplier<R> request) {
    try {
      return request.get();
    } catch (KubernetesClientException e) {
      throw translate(e);
    }
  }

  private KilnException translate(KubernetesClientException e) {
    if (e.getCode() == 422 || e.getCode() == 400) {
      return KilnException.usage(
          e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage(),
          "fix the manifest and try again");
    }
    if (e.getCode() == 403 || e.getCode() == 401) {
      return KilnException.failed(
          "the cluster (" + where() + ") refused: " + e.getMessage(),
          "check your RBAC: kubectl auth can-i --list -n <namespace>");
    }
    return KilnException.failed("the cluster (" + where() + "): " + e.getMessage(), null);
  }

  @Override
  public void close() {
    client.close();
  }
}
