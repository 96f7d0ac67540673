package dev.kiln.controlplane.endpoint.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.kiln.controlplane.endpoint.RouterClient;
import dev.kiln.controlplane.local.LocalProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local mode's router: one process from the endpoint-server build on {@code host:port}, started
 * when the first tick needs it and again if it dies (the next tick pushes the routes back).
 */
final class RouterProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RouterProcess.class);
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration RESTART_BACKOFF = Duration.ofSeconds(5);

  private final LocalProcesses processes;
  private final ReplicaCommands commands;
  private final String host;
  private final int port;
  private final Path dir;
  private final String token;
  private final RouterClient client;
  private LocalProcesses.Handle handle;
  private long startedAt;

  RouterProcess(
      LocalProcesses processes, ReplicaCommands commands, String host, int port, Path dir) {
    this.processes = processes;
    this.commands = commands;
    this.host = host;
    this.port = port;
    this.dir = dir;
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    this.client = new RouterClient("http://" + host + ":" + port, token);
  }

  RouterClient client() {
    return client;
  }

  /** The endpoint's URL on this router. */
  String url(String endpoint) {
    return "http://" + host + ":" + port + "/endpoints/" + endpoint;
  }

  /** Starts the router if it does not run; true once it answers. */
  boolean ensureRunning() {
    if (handle != null && processes.alive(handle)) {
      if (client.answers()) {
        return true;
      }
      if (System.nanoTime() - startedAt < START_TIMEOUT.toNanos()) {
        return false;
      }
      LOG.warn("the router on {}:{} does not answer; restarting it", host, port);
      processes.stop(handle, Duration.ofSeconds(2));
    }
    if (handle != null && System.nanoTime() - startedAt < RESTART_BACKOFF.toNanos()) {
      return false;
    }
    commands.check();
    if (handle != null) {
      LOG.warn(
          "the router on {}:{} exited; starting it again (log: {})",
          host,
          port,
          dir.resolve("router.log"));
    }
    handle =
        processes.start(
            new LocalProcesses.Launch(
                commands.router(),
                Map.of(
                    "CLASSPATH",
                    commands.routerClasspath(),
                    "KILN_ROUTER_HOST",
                    host,
                    "KILN_ROUTER_PORT",
                    Integer.toString(port),
                    "KILN_ROUTER_TOKEN",
                    token),
                dir,
                dir.resolve("router.log")));
    startedAt = System.nanoTime();
    record(handle);
    LOG.info("started the endpoint router on {}:{} (pid {})", host, port, handle.pid());
    return false;
  }

  @Override
  public void close() {
    if (handle != null) {
      processes.stop(handle, Duration.ofSeconds(5));
      try {
        Files.deleteIfExists(recordFile());
      } catch (IOException e) {
        LOG.debug("cannot remove {}", recordFile(), e);
      }
    }
  }

  /**
   * Stops a router an earlier control plane left running (it was killed): it holds the port and
   * another token, so a new one could neither bind nor be reached.
   */
  void stopLeftover() {
    Path file = recordFile();
    try {
      if (!Files.exists(file)) {
        return;
      }
      LocalProcesses.Handle old = JSON.readValue(file.toFile(), LocalProcesses.Handle.class);
      if (processes.alive(old)) {
        LOG.info("stopping the router an earlier control plane left running (pid {})", old.pid());
        processes.stop(old, Duration.ofSeconds(5));
      }
      Files.delete(file);
    } catch (IOException e) {
      LOG.warn("cannot read {}: {}", file, e.toString());
    }
  }

  private Path recordFile() {
    return dir.resolve("router.json");
  }

  private void record(LocalProcesses.Handle started) {
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve("router.json.tmp");
      Files.writeString(tmp, JSON.writeValueAsString(started));
      Files.move(
          tmp, recordFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("cannot record the router in {}: {}", recordFile(), e.toString());
    }
  }
}
