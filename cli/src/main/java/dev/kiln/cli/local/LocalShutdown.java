package dev.kiln.cli.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.cli.LocalConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Stops local mode: the control plane (SIGTERM; it stops its ranks and its S3 server itself), then
 * any rank or S3 server process still recorded in the home folder (a control plane killed with -9
 * leaves them running).
 */
final class LocalShutdown {
  private static final Duration GRACE = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What was stopped. */
  record Result(boolean controlPlane, int ranks) {}

  private final Path userHome;

  LocalShutdown(Path userHome) {
    this.userHome = userHome;
  }

  Result stop(LocalFile file) {
    boolean stopped = false;
    Optional<ProcessHandle> process = file.process();
    if (process.isPresent()) {
      ProcessHandle p = process.get();
      p.destroy();
      try {
        p.onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception timedOut) {
        p.destroyForcibly();
      }
      stopped = true;
    }
    int ranks = stopRanks(file.config().home().resolve("ranks"));
    // After the ranks: they write to it until they end.
    stop(file.config().home().resolve("s3.json"));
    try {
      // The control plane removes it on a clean stop; after a crash it is stale.
      Files.deleteIfExists(LocalConfig.defaultFile(userHome));
    } catch (IOException e) {
      // harmless: the next `kiln local up` overwrites it
    }
    return new Result(stopped, ranks);
  }

  /** Ends every recorded rank process group still alive; returns how many there were. */
  private static int stopRanks(Path ranks) {
    if (!Files.isDirectory(ranks)) {
      return 0;
    }
    List<Path> records;
    try (Stream<Path> walk = Files.walk(ranks)) {
      records = walk.filter(p -> p.toString().endsWith(".json")).toList();
    } catch (IOException e) {
      return 0;
    }
    int n = 0;
    for (Path record : records) {
      if (stop(record)) {
        n++;
      }
    }
    return n;
  }

  /** Ends the recorded process group if it still runs; returns whether it did. */
  private static boolean stop(Path record) {
    Optional<ProcessHandle> live = Files.exists(record) ? liveProcess(record) : Optional.empty();
    if (live.isEmpty()) {
      return false;
    }
    signalGroup(live.get().pid(), "TERM");
    try {
      live.get().onExit().get(10, TimeUnit.SECONDS);
    } catch (Exception timedOut) {
      signalGroup(live.get().pid(), "KILL");
    }
    return true;
  }

  /** The recorded process if it runs and started when recorded (not a reused pid). */
  private static Optional<ProcessHandle> liveProcess(Path record) {
    try {
      JsonNode process = JSON.readTree(Files.readString(record)).path("process");
      if (!process.has("pid")) {
        return Optional.empty();
      }
      Instant started = Instant.parse(process.path("startedAt").asText());
      return ProcessHandle.of(process.path("pid").asLong())
          .filter(ProcessHandle::isAlive)
          .filter(
              p ->
                  p.info()
                      .startInstant()
                      .map(s -> Math.abs(Duration.between(s, started).toMillis()) < 2000)
                      .orElse(false));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static void signalGroup(long pgid, String signal) {
    try {
      new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // the group is gone
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
