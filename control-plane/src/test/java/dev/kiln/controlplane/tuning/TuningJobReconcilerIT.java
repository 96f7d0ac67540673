package dev.kiln.controlplane.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.api.Manifests;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.TuningJob;
import dev.kiln.api.status.Phase;
import dev.kiln.api.status.TrainingJobStatus;
import dev.kiln.controlplane.testing.KilnCrds;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The TuningJob reconciler against the test API server in CRUD mode. Trials are suspended by their
 * template, so the TrainingJob controller leaves them be, and the test plays their outcome.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = KilnCrds.class)
class TuningJobReconcilerIT {
  static final String NS = "sweeps";
  static final Duration WAIT = Duration.ofSeconds(30);

  @Inject KubernetesClient client;

  @Test
  void trialsAreOwnedChildrenAndADeletedOneIsCountedWhileTheSweepGoesOnToItsBest() {
    String yaml =
        SweepWorld.yaml("random", "{type: none}", 3, 2, 2)
            .replace("ttlSecondsAfterFinished: 60", "suspend: true");
    TuningJob sweep = Manifests.parse(yaml, TuningJob.class);
    sweep = client.resource(sweep).inNamespace(NS).create();
    String uid = sweep.getMetadata().getUid();

    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(names()).containsExactlyInAnyOrder("s-0", "s-1"));
    TrainingJob first = trial("s-0");
    assertThat(first.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(uid))
        .satisfies(o -> assertThat(o.getKind()).isEqualTo(TuningJob.KIND));
    assertThat(first.getMetadata().getAnnotations()).containsEntry(TrialNames.INDEX, "0");
    assertThat(first.getSpec().hyperparameters).containsKey("optimizer.learningRate");
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(sweep().getStatus().trials.running).isEqualTo(2));

    client.resources(TrainingJob.class).inNamespace(NS).withName("s-1").delete();
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(names()).containsExactlyInAnyOrder("s-0", "s-2"));
    succeed("s-0", 0.7);
    succeed("s-2", 0.9);

    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(sweep().getStatus().phase).isEqualTo(Phase.SUCCEEDED));
    var status = sweep().getStatus();
    assertThat(status.bestTrial.name).isEqualTo("s-2");
    assertThat(status.bestTrial.objective).isEqualTo(0.9);
    assertThat(status.trials.total).isEqualTo(3);
    assertThat(status.trials.failed).as("the trial deleted by hand").isEqualTo(1);
    assertThat(status.trials.succeeded).isEqualTo(2);
    assertThat(names()).containsExactlyInAnyOrder("s-0", "s-2");
  }

  private TuningJob sweep() {
    return client.resources(TuningJob.class).inNamespace(NS).withName("s").get();
  }

  private TrainingJob trial(String name) {
    return client.resources(TrainingJob.class).inNamespace(NS).withName(name).get();
  }

  private List<String> names() {
    return client
        .resources(TrainingJob.class)
        .inNamespace(NS)
        .withLabel(TrialNames.LABEL_SWEEP, "s")
        .list()
        .getItems()
        .stream()
        .map(t -> t.getMetadata().getName())
        .toList();
  }

  /** Plays the TrainingJob controller: the trial reported its epochs and succeeded. */
  private void succeed(String name, double accuracy) {
    await()
        .atMost(WAIT)
        .ignoreException(KubernetesClientException.class)
        .untilAsserted(
            () -> {
              TrainingJob t = trial(name);
              assertThat(t.getStatus()).isNotNull();
              assertThat(t.getStatus().phase).isIn(Phase.SUSPENDED, Phase.SUCCEEDED);
              TrainingJobStatus s = t.getStatus();
              s.phase = Phase.SUCCEEDED;
              s.metrics = new TrainingJobStatus.Metrics();
              s.metrics.history.add(Map.of("epoch", 1.0, "val_accuracy", accuracy - 0.1));
              s.metrics.history.add(Map.of("epoch", 2.0, "val_accuracy", accuracy));
              s.metrics.latest = Map.of("epoch", 2.0, "val_accuracy", accuracy);
              client.resource(t).inNamespace(NS).updateStatus();
              assertThat(trial(name).getStatus().phase).isEqualTo(Phase.SUCCEEDED);
            });
  }
}
