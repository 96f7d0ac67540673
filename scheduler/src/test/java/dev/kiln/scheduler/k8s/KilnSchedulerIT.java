package dev.kiln.scheduler.k8s;

import static dev.kiln.scheduler.k8s.K8sFixture.bindings;
import static dev.kiln.scheduler.k8s.K8sFixture.create;
import static dev.kiln.scheduler.k8s.K8sFixture.node;
import static dev.kiln.scheduler.k8s.K8sFixture.rank;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The Deployment's process against the mock API server: Lease election, informers, binds. */
@EnableKubernetesMockClient(crud = true)
class KilnSchedulerIT {
  private static final KilnScheduler.Timing FAST =
      new KilnScheduler.Timing(
          Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(250));

  KubernetesClient client;

  @Test
  void theElectedLeaderPlacesGangsItSeesThroughItsInformers() {
    create(client, node("n1", 8, "zone-a", "r1"), node("n2", 8, "zone-a", "r1"));
    KilnScheduler scheduler = new KilnScheduler(client, "kiln", "replica-1", "kiln.dev/rack", FAST);
    CompletableFuture<?> election = scheduler.start();
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                Lease lease =
                    client.leases().inNamespace("kiln").withName(KilnScheduler.LEASE_NAME).get();
                assertThat(lease).isNotNull();
                assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("replica-1");
              });

      create(client, rank("team-a", "train", 1, 2, 0, 8), rank("team-a", "train", 1, 2, 1, 8));

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> assertThat(bindings(client, "team-a")).containsOnlyKeys("train-0", "train-1"));
      assertThat(bindings(client, "team-a").values()).containsExactlyInAnyOrder("n1", "n2");
    } finally {
      election.cancel(true);
      scheduler.stopLoop();
    }
  }
}
