package dev.kiln.controlplane.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalProcessesIT {
  @TempDir Path home;

  private LocalProcesses.Launch shell(String script, String name) {
    return new LocalProcesses.Launch(
        List.of("sh", "-c", script),
        Map.of("GREETING", "hello"),
        home,
        home.resolve("logs/" + name + ".log"));
  }

  @Test
  void recordsTheExitCodeAndTheLogOfAProcess() throws Exception {
    LocalProcesses processes = new LocalProcesses();
    LocalProcesses.Handle h = processes.start(shell("echo $GREETING; exit 3", "exit3"));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(processes.observe(h)).isEqualTo(new LocalProcesses.State.Exited(3)));
    assertThat(Files.readString(Path.of(h.log()))).isEqualTo("hello\n");
  }

  @Test
  void aRestartedControlPlaneReadoptsALiveProcessAndSeesItKilled() throws Exception {
    LocalProcesses.Handle h = new LocalProcesses().start(shell("exec sleep 60", "sleeper"));
    LocalProcesses afterRestart = new LocalProcesses();
    assertThat(afterRestart.observe(h)).isEqualTo(new LocalProcesses.State.Running());

    // The wrapper forks the command; wait until it has.
    long sleeper =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> ProcessHandle.of(h.pid()).flatMap(p -> p.children().findFirst()),
                java.util.Optional::isPresent)
            .orElseThrow()
            .pid();
    new ProcessBuilder("kill", "-9", Long.toString(sleeper)).start().waitFor();

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(afterRestart.observe(h))
                    .isEqualTo(new LocalProcesses.State.Exited(137)));
  }

  @Test
  void stopEndsTheWholeProcessGroup() throws Exception {
    LocalProcesses processes = new LocalProcesses();
    LocalProcesses.Handle h = processes.start(shell("sleep 60 & sleep 60; wait", "group"));
    await()
        .until(
            () -> ProcessHandle.of(h.pid()).map(p -> p.descendants().count() >= 1).orElse(false));
    List<ProcessHandle> children = ProcessHandle.of(h.pid()).orElseThrow().descendants().toList();

    processes.stop(h, Duration.ofSeconds(5));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(children).noneMatch(ProcessHandle::isAlive));
    assertThat(processes.observe(h)).isNotEqualTo(new LocalProcesses.State.Running());
  }

  @Test
  void aProcessGoneWithoutItsWrapperIsVanished() throws Exception {
    LocalProcesses processes = new LocalProcesses();
    LocalProcesses.Handle h = processes.start(shell("exec sleep 60", "vanish"));
    new ProcessBuilder("kill", "-KILL", "--", "-" + h.pid()).start().waitFor();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(processes.observe(h)).isEqualTo(new LocalProcesses.State.Vanished()));
  }
}
