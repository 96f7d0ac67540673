package dev.kiln.controlplane.kubernetes;

import dev.kiln.api.Kiln;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.spec.TrainingJobSpec;
import dev.kiln.controlplane.core.Admission;
import dev.kiln.controlplane.core.JobTokens;
import dev.kiln.controlplane.core.MetricsBook;
import dev.kiln.controlplane.core.Observed;
import dev.kiln.controlplane.core.RankState;
import dev.kiln.controlplane.core.Workloads;
import dev.kiln.controlplane.http.ControlPlaneMetrics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes side of the {@link Workloads} port: ranks are Pods; what they share is a headless
 * Service, a ConfigMap and a Secret. Reads come from the reconciler's informer caches; writes are
 * idempotent (an object that already exists is fine, one already gone is fine).
 */
public class KubernetesWorkloads implements Workloads, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesWorkloads.class);

  private final KubernetesClient client;
  private final ClusterSettings settings;
  private final JobTokens tokens;
  private final Optional<String> s3AccessKey;
  private final Optional<String> s3SecretKey;
  private final Admission admission;
  private final RankLogs logs;
  private final ExecutorService creators;
  private volatile Informers informers;

  /** The caches this reads from, created with the reconciler's event sources. */
  public record Informers(
      InformerEventSource<Pod, TrainingJob> pods,
      InformerEventSource<ConfigMap, TrainingJob> configMaps,
      InformerEventSource<Service, TrainingJob> services) {}

  public KubernetesWorkloads(
      KubernetesClient client,
      ClusterSettings settings,
      JobTokens tokens,
      Optional<String> s3AccessKey,
      Optional<String> s3SecretKey,
      Admission admission,
      RankLogs logs,
      ExecutorService creators) {
    this.client = client;
    this.settings = settings;
    this.tokens = tokens;
    this.s3AccessKey = s3AccessKey;
    this.s3SecretKey = s3SecretKey;
    this.admission = admission;
    this.logs = logs;
    this.creators = creators;
  }

  /** Stops the pod writer threads. */
  @Override
  public void close() {
    creators.shutdownNow();
  }

  public void attach(Informers informers) {
    this.informers = informers;
  }

  @Override
  public Observed observe(TrainingJob job) {
    Informers inf = informers();
    String namespace = job.getMetadata().getNamespace();
    String uid = job.getMetadata().getUid();
    List<Pod> pods = inf.pods().list(namespace, p -> ownedBy(p, uid)).toList();
    List<RankState> ranks =
        pods.stream().map(PodObserver::observe).flatMap(Optional::stream).toList();
    String name = job.getMetadata().getName();
    Optional<ConfigMap> spec =
        inf.configMaps()
            .get(new ResourceID(TrainingJobNames.configMap(name), namespace))
            .filter(c -> ownedBy(c, uid));
    boolean service =
        inf.services()
            .get(new ResourceID(TrainingJobNames.service(name), namespace))
            .filter(s -> ownedBy(s, uid))
            .isPresent();
    String digest =
        service
            ? spec.map(c -> c.getMetadata().getAnnotations())
                .map(a -> a.get(TrainingJobNames.SPEC_DIGEST_ANNOTATION))
                .orElse(null)
            : null;
    List<MetricsBook.EpochValues> logMetrics = logs.metrics(job, ranks);
    return new Observed(ranks, digest, admission.admit(job), logMetrics);
  }

  @Override
  public void prepare(TrainingJob job, String specJson, String digest) {
    ResourceID primary = ResourceID.fromResource(job);
    String namespace = job.getMetadata().getNamespace();
    String uid = job.getMetadata().getUid();
    createOwned(
        uid,
        client
            .secrets()
            .inNamespace(namespace)
            .resource(
                SharedResources.secret(
                    job,
                    tokens.tokenFor(uid),
                    s3AccessKey.orElse(null),
                    s3SecretKey.orElse(null))));
    createOwned(
            uid,
            client
                .services()
                .inNamespace(namespace)
                .resource(SharedResources.service(job, settings.masterPort())))
        .ifPresent(service -> informers().services().handleRecentResourceCreate(primary, service));
    // The spec changes between attempts (raised epochs): create it, or replace what is there.
    ConfigMap config =
        client
            .configMaps()
            .inNamespace(namespace)
            .resource(SharedResources.specConfigMap(job, specJson, digest))
            .createOr(NonDeletingOperation::update);
    informers().configMaps().handleRecentResourceCreate(primary, config);
  }

  @Override
  public void start(TrainingJob job, TrainingJobSpec spec, int attempt, List<Integer> ranks) {
    ResourceID primary = ResourceID.fromResource(job);
    String namespace = job.getMetadata().getNamespace();
    // Large gangs: create pods concurrently; each create is one round trip to the API server.
    List<CompletableFuture<Void>> creates =
        ranks.stream()
            .map(rank -> RankPodBuilder.build(job, spec, attempt, rank, settings))
            .map(
                pod ->
                    CompletableFuture.runAsync(
                        () ->
                            createOwned(
                                    job.getMetadata().getUid(),
                                    client.pods().inNamespace(namespace).resource(pod))
                                .ifPresent(
                                    created -> {
                                      informers()
                                          .pods()
                                          .handleRecentResourceCreate(primary, created);
                                      ControlPlaneMetrics.RANK_PODS_CREATED.inc();
                                    }),
                        creators))
            .toList();
    join(creates);
    LOG.info("attempt {}: created rank pod(s) {}", attempt, ranks);
  }

  @Override
  public void stop(TrainingJob job, List<String> rankNames) {
    String namespace = job.getMetadata().getNamespace();
    join(
        rankNames.stream()
            .map(
                name ->
                    CompletableFuture.runAsync(
                        () -> client.pods().inNamespace(namespace).withName(name).delete(),
                        creators))
            .toList());
    LOG.info("stopping rank pod(s) {}", rankNames);
  }

  private Informers informers() {
    Informers inf = informers;
    if (inf == null) {
      throw new IllegalStateException("the reconciler's informers are not attached yet");
    }
    return inf;
  }

  static boolean ownedBy(HasMetadata resource, String uid) {
    var labels = resource.getMetadata().getLabels();
    return labels != null && Objects.equals(uid, labels.get(Kiln.LABEL_JOB_UID));
  }

  /**
   * Creates a child; empty when it exists already (a stale cache made us ask twice). One left by an
   * earlier job of the same name (another uid) is deleted and the reconcile retried: the garbage
   * collector would remove it soon, but a wrong token or selector must never reach this job.
   */
  private static <T extends HasMetadata> Optional<T> createOwned(String uid, Resource<T> child) {
    try {
      return Optional.of(child.create());
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
    T existing = child.get();
    if (existing == null || ownedBy(existing, uid)) {
      return Optional.empty();
    }
    child.delete();
    throw new IllegalStateException(
        existing.getKind()
            + " "
            + existing.getMetadata().getName()
            + " belongs to an earlier job of this name; deleted it, retrying");
  }

  private static void join(List<CompletableFuture<Void>> futures) {
    try {
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }
}
