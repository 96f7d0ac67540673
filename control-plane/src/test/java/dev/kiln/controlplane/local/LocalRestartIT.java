package dev.kiln.controlplane.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.status.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A local control plane killed with -9 and started again: it re-adopts what still runs. */
class LocalRestartIT {
  @TempDir Path dir;
  private LocalModeProcess plane;

  @AfterEach
  void stop() throws Exception {
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void aRestartedControlPlaneReadoptsLiveRanksAndMarksVanishedOnesFailed() throws Exception {
    plane = LocalModeProcess.start(dir);
    plane.putTrainChannel();
    Path go = dir.resolve("go");
    String waitForGo = "while [ ! -f '" + go + "' ]; do sleep 0.1; done";
    plane.apply(LocalModeProcess.container("readopt", 1, waitForGo + "; echo finished"));
    plane.apply(
        LocalModeProcess.container(
            "vanish",
            1,
            "if [ \"$KILN_ATTEMPT\" = 1 ]; then " + waitForGo + "; fi; echo finished"));
    plane.awaitPhase("readopt", Phase.RUNNING);
    TrainingJob vanish = plane.awaitPhase("vanish", Phase.RUNNING);
    long readoptPid = rankPid(plane.job("readopt").orElseThrow(), "readopt-1-0");
    long vanishPid = rankPid(vanish, "vanish-1-0");

    plane.kill9();
    // Gone with its wrapper, while no control plane watched: no exit code is left behind.
    new ProcessBuilder("kill", "-KILL", "--", "-" + vanishPid).start().waitFor();
    await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(vanishPid).isEmpty());
    assertThat(ProcessHandle.of(readoptPid)).as("ranks outlive a killed control plane").isPresent();
    plane.launch();
    Files.writeString(go, "");

    TrainingJob readopted = plane.awaitPhase("readopt", Phase.SUCCEEDED);
    assertThat(readopted.getStatus().attempt).as("re-adopted, not restarted").isEqualTo(1);
    assertThat(readopted.getStatus().restarts).isZero();
    TrainingJob restarted = plane.awaitPhase("vanish", Phase.SUCCEEDED);
    assertThat(restarted.getStatus().attempt).isEqualTo(2);
    assertThat(plane.events("vanish"))
        .anyMatch(e -> e.startsWith("RankLost") && e.contains("vanished"));
  }

  private long rankPid(TrainingJob job, String rank) throws Exception {
    Path record =
        plane.home.resolve("ranks").resolve(job.getMetadata().getUid()).resolve(rank + ".json");
    return new ObjectMapper()
        .readTree(Files.readString(record))
        .path("process")
        .path("pid")
        .asLong();
  }
}
