package dev.kiln.controlplane.testing;

import dev.kiln.controlplane.core.Admission;
import dev.kiln.controlplane.core.CorePolicy;
import dev.kiln.controlplane.core.JobTokens;
import dev.kiln.controlplane.core.TrainingJobCore;
import dev.kiln.controlplane.kubernetes.ClusterSettings;
import dev.kiln.controlplane.kubernetes.JobDirectory;
import dev.kiln.controlplane.kubernetes.KubernetesJobEffects;
import dev.kiln.controlplane.kubernetes.KubernetesWorkloads;
import dev.kiln.controlplane.kubernetes.RankLogs;
import dev.kiln.controlplane.kubernetes.TrainingJobReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * The control plane's TrainingJob operator wired as the application wires it, without Quarkus: the
 * same core, Kubernetes shell and reconciler on plain JOSDK. For the benchmark and E2E tests.
 */
public final class StandaloneOperator {
  private StandaloneOperator() {}

  /**
   * Starts the operator.
   *
   * @param namespaces the namespaces it watches; none means all
   */
  public static Operator start(
      KubernetesClient client, ClusterSettings settings, CorePolicy policy, String... namespaces) {
    Clock clock = Clock.systemUTC();
    KubernetesWorkloads workloads =
        new KubernetesWorkloads(
            client,
            settings,
            JobTokens.ephemeral(),
            Optional.of("standalone-access"),
            Optional.of("standalone-secret"),
            Admission.ALL,
            new RankLogs(client, clock, policy.logMetrics(), 1 << 20),
            Executors.newFixedThreadPool(8));
    TrainingJobReconciler reconciler =
        new TrainingJobReconciler(
            client,
            new TrainingJobCore(policy),
            workloads,
            new KubernetesJobEffects(client, clock),
            new JobDirectory(),
            clock);
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withCloseClientOnStop(false));
    if (namespaces.length == 0) {
      operator.register(reconciler);
    } else {
      operator.register(reconciler, o -> o.settingNamespaces(namespaces));
    }
    operator.start();
    return operator;
  }

  /** Policy for tests: quick restarts and log reads. */
  public static CorePolicy quickPolicy() {
    return new CorePolicy(
        Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(5));
  }
}
