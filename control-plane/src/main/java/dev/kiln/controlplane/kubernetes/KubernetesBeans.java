package dev.kiln.controlplane.kubernetes;

import dev.kiln.api.Kiln;
import dev.kiln.controlplane.config.KilnConfig;
import dev.kiln.controlplane.core.Admission;
import dev.kiln.controlplane.core.CorePolicy;
import dev.kiln.controlplane.core.JobTokens;
import dev.kiln.controlplane.core.MetricsStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Wires the Kubernetes shell; nothing here talks to the cluster until the operator starts. */
public class KubernetesBeans {
  /** Threads that create and delete rank pods concurrently for large gangs. */
  static final int POD_WRITERS = 8;

  @Produces
  @Singleton
  ClusterSettings clusterSettings(KilnConfig config) {
    KilnConfig.Worker worker = config.worker();
    return new ClusterSettings(
        config.schedulerName(),
        worker.image(),
        worker.imagePullPolicy(),
        worker.stageInArgs(),
        worker.serviceAccount().orElse(null),
        config.controlPlaneAddress(),
        config.s3().endpoint(),
        config.s3().accessKey().isPresent() && config.s3().secretKey().isPresent(),
        Kiln.MASTER_PORT,
        Kiln.METRICS_PORT);
  }

  @Produces
  @Singleton
  JobDirectory jobDirectory() {
    return new JobDirectory();
  }

  @Produces
  @Singleton
  RankLogs rankLogs(KubernetesClient client, Clock clock, CorePolicy policy, KilnConfig config) {
    return new RankLogs(client, clock, policy.logMetrics(), config.logMetrics().maxBytes());
  }

  @Produces
  @Singleton
  KubernetesWorkloads kubernetesWorkloads(
      KubernetesClient client,
      ClusterSettings settings,
      JobTokens tokens,
      KilnConfig config,
      Admission admission,
      RankLogs logs) {
    return new KubernetesWorkloads(
        client,
        settings,
        tokens,
        config.s3().accessKey(),
        config.s3().secretKey(),
        admission,
        logs,
        podWriters());
  }

  void closeWorkloads(@Disposes KubernetesWorkloads workloads) {
    workloads.close();
  }

  static ExecutorService podWriters() {
    return Executors.newFixedThreadPool(
        POD_WRITERS,
        r -> {
          Thread t = new Thread(r, "kiln-pod-writer");
          t.setDaemon(true);
          return t;
        });
  }

  @Produces
  @Singleton
  KubernetesJobEffects kubernetesJobEffects(KubernetesClient client, Clock clock) {
    return new KubernetesJobEffects(client, clock);
  }

  /** ReportMetrics writes into TrainingJob status in cluster mode; local mode brings its own. */
  @Produces
  @Singleton
  @LookupIfProperty(name = "kiln.mode", stringValue = "cluster", lookupIfMissing = true)
  MetricsStore kubernetesMetricsStore(KubernetesClient client, JobDirectory directory) {
    return new KubernetesMetricsStore(client, directory);
  }
}
