package dev.kiln.worker.collective;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Ranks as real child processes: a peer killed or stopped must fail every other rank, fast. */
class CollectiveFailureIT {
  private static final int N = 4;
  private static final int TIMEOUT_S = 3;
  private final List<Process> procs = new ArrayList<>();
  private final List<List<String>> output = new ArrayList<>();

  @AfterEach
  void killChildren() {
    procs.forEach(Process::destroyForcibly);
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "shm"})
  void killedPeerFailsEveryOtherRankNamingIt(String backend) throws Exception {
    startGang(backend);
    awaitIterations(3);
    procs.get(2).destroyForcibly(); // SIGKILL: no goodbye, the kernel closes its sockets
    assertOthersFailNaming(2, "rank 2", TIMEOUT_S + 10);
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "shm"})
  void hungPeerFailsEveryOtherRankWithinTheTimeout(String backend) throws Exception {
    startGang(backend);
    awaitIterations(3);
    signal(procs.get(2), "STOP"); // alive, sockets open, silent
    assertOthersFailNaming(2, "rank 2", TIMEOUT_S + 10);
  }

  private void startGang(String backend) throws IOException {
    int port = Gang.freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (int r = 0; r < N; r++) {
      ProcessBuilder pb =
          new ProcessBuilder(
              java,
              "-Xmx128m",
              "-cp",
              System.getProperty("java.class.path"),
              RankProcess.class.getName(),
              backend);
      pb.environment().put("RANK", String.valueOf(r));
      pb.environment().put("WORLD_SIZE", String.valueOf(N));
      pb.environment().put("MASTER_ADDR", "127.0.0.1");
      pb.environment().put("MASTER_PORT", String.valueOf(port));
      pb.environment().put("KILN_JOB_UID", "failure-test");
      pb.environment().put("KILN_ATTEMPT", "1");
      pb.environment().put("KILN_COLLECTIVE_TIMEOUT_SECONDS", String.valueOf(TIMEOUT_S));
      pb.redirectErrorStream(true);
      Process p = pb.start();
      procs.add(p);
      List<String> lines = new CopyOnWriteArrayList<>();
      output.add(lines);
      Thread t =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String l; (l = in.readLine()) != null; ) {
                    lines.add(l);
                  }
                } catch (IOException ignored) {
                  // the process is gone
                }
              });
      t.setDaemon(true);
      t.start();
    }
  }

  private void awaitIterations(int k) {
    Awaitility.await("gang reaches iteration " + k)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> assertThat(output).allSatisfy(l -> assertThat(l).contains("iteration " + k)));
  }

  private void assertOthersFailNaming(int culprit, String name, int boundSeconds)
      throws InterruptedException {
    for (int r = 0; r < N; r++) {
      if (r == culprit) {
        continue;
      }
      Process p = procs.get(r);
      assertThat(p.waitFor(boundSeconds, TimeUnit.SECONDS))
          .as(
              "rank %d still running %ds after rank %d failed: %s",
              r, boundSeconds, culprit, output.get(r))
          .isTrue();
      assertThat(p.exitValue()).as("rank %d exit code; output %s", r, output.get(r)).isEqualTo(3);
      Thread.sleep(100); // let the reader thread take the last line
      String failure =
          output.get(r).stream().filter(l -> l.startsWith("FAILED: ")).findFirst().orElse("");
      assertThat(failure).as("rank %d output %s", r, output.get(r)).contains(name);
    }
  }

  private static void signal(Process p, String sig) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + sig, String.valueOf(p.pid())).start().waitFor();
  }
}
