package dev.kiln.controlplane.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.api.TrainingJob;
import dev.kiln.api.spec.Resources;
import dev.kiln.api.status.Phase;
import dev.kiln.controlplane.local.LocalModeProcess;
import io.fabric8.kubernetes.api.model.Condition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local mode admits through the same scheduler core, with this machine as the one node: here a
 * machine told to offer 4 CPUs, 8Gi and no GPUs.
 */
class LocalAdmissionIT {
  @TempDir static Path dir;
  static LocalModeProcess plane;

  @BeforeAll
  static void start() throws Exception {
    plane =
        LocalModeProcess.start(
            dir,
            "-Dkiln.scheduling.local-cpu=4",
            "-Dkiln.scheduling.local-memory=8Gi",
            "-Dkiln.scheduling.local-gpu=0");
    plane.putTrainChannel();
  }

  @AfterAll
  static void stop() throws Exception {
    plane.close();
  }

  static TrainingJob job(String name, String cpu, String script) {
    TrainingJob job = LocalModeProcess.container(name, 1, script);
    job.getSpec().resources = new Resources(cpu, "1Gi", 0);
    return job;
  }

  static Condition gangScheduled(String name) {
    return plane.job(name).orElseThrow().getStatus().conditions.stream()
        .filter(c -> "GangScheduled".equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  static boolean queued(String name) {
    return plane
        .job(name)
        .map(j -> j.getStatus() != null && j.getStatus().phase == Phase.QUEUED)
        .orElse(false);
  }

  @Test
  void aJobLargerThanTheMachineStaysQueuedAndASecondWaitsBehindTheFirst() throws Exception {
    plane.apply(job("huge", "8", "exit 0"));
    Path go = dir.resolve("go");
    plane.apply(job("first", "3", "while [ ! -f " + go + " ]; do sleep 0.2; done"));
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                plane
                    .job("first")
                    .map(j -> j.getStatus() != null && j.getStatus().phase == Phase.RUNNING)
                    .orElse(false));
    plane.apply(job("second", "2", "exit 0"));

    await().atMost(Duration.ofSeconds(30)).until(() -> queued("huge") && queued("second"));
    assertThat(gangScheduled("huge").getReason()).isEqualTo("Unschedulable");
    assertThat(gangScheduled("huge").getMessage()).startsWith("no node can hold a rank of");
    assertThat(gangScheduled("second").getReason()).isEqualTo("NoFit");
    assertThat(plane.job("second").orElseThrow().getStatus().queuePosition).isNotNull();

    Files.writeString(go, "");

    plane.awaitPhase("first", Phase.SUCCEEDED);
    plane.awaitPhase("second", Phase.SUCCEEDED);
    assertThat(queued("huge")).isTrue();
  }
}
