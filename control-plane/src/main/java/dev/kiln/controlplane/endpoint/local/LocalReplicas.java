package dev.kiln.controlplane.endpoint.local;

import dev.kiln.controlplane.endpoint.EndpointObserved.VersionState;
import dev.kiln.controlplane.local.LocalProcesses;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One endpoint's replicas as local processes, by model version: starts and probes them, and stops
 * one only after the router stopped sending it requests and has none in flight to it (drain).
 */
final class LocalReplicas {
  private static final Pattern IN_FLIGHT =
      Pattern.compile(
          "^kiln_endpoint_in_flight_requests(?:\\{[^}]*})? ([0-9.eE+-]+)$", Pattern.MULTILINE);
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofMillis(500))
          .build();

  enum State {
    STARTING,
    READY,
    DRAINING
  }

  /** A replica process. */
  static final class Replica {
    final String version;
    final String modelUri;
    final int port;
    final LocalProcesses.Handle process;
    volatile State state = State.STARTING;
    volatile int inFlight;

    Replica(String version, String modelUri, int port, LocalProcesses.Handle process) {
      this.version = version;
      this.modelUri = modelUri;
      this.port = port;
      this.process = process;
    }

    String backend() {
      return "127.0.0.1:" + port;
    }
  }

  /** How to start a replica of a model version. */
  interface Launcher {
    LocalProcesses.Handle start(String version, String modelUri, int port, Path log);
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper()
          .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
          .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  private final List<Replica> replicas = new CopyOnWriteArrayList<>();
  private String recorded;
  private Path recordFile;
  private final Map<String, Integer> crashes = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastCrash = new ConcurrentHashMap<>();
  private final LocalProcesses processes;
  private final Launcher launcher;
  private final Path logDir;
  private int started;

  LocalReplicas(LocalProcesses processes, Launcher launcher, Path logDir) {
    this.processes = processes;
    this.launcher = launcher;
    this.logDir = logDir;
  }

  List<Replica> all() {
    return List.copyOf(replicas);
  }

  /** Probes every replica: readiness of starting ones, in-flight of ready ones, exits. */
  void probe(Instant now) {
    for (Replica r : replicas) {
      if (!processes.alive(r.process)) {
        replicas.remove(r);
        if (r.state != State.DRAINING) {
          crashes.merge(r.version, 1, Integer::sum);
          lastCrash.put(r.version, now);
        }
        continue;
      }
      if (r.state == State.STARTING && get(r, "/v2/health/ready") != null) {
        r.state = State.READY;
      }
      if (r.state == State.READY) {
        String metrics = get(r, "/metrics");
        Matcher m = metrics == null ? null : IN_FLIGHT.matcher(metrics);
        r.inFlight = m != null && m.find() ? (int) Double.parseDouble(m.group(1)) : 0;
      }
    }
  }

  /** The versions as the core sees them; draining replicas are neither counted nor routed. */
  List<VersionState> observe() {
    Map<String, List<Replica>> byVersion = new java.util.LinkedHashMap<>();
    Map<String, String> uris = new java.util.HashMap<>();
    for (Replica r : replicas) {
      uris.putIfAbsent(r.version, r.modelUri);
      byVersion.computeIfAbsent(r.version, v -> new ArrayList<>());
      if (r.state != State.DRAINING) {
        byVersion.get(r.version).add(r);
      }
    }
    List<VersionState> out = new ArrayList<>();
    byVersion.forEach(
        (version, list) -> {
          List<String> ready =
              list.stream().filter(r -> r.state == State.READY).map(Replica::backend).toList();
          int inFlight =
              list.stream().filter(r -> r.state == State.READY).mapToInt(r -> r.inFlight).sum();
          out.add(
              new VersionState(
                  version,
                  uris.get(version),
                  list.size(),
                  ready.size(),
                  ready,
                  inFlight,
                  crashes.getOrDefault(version, 0)));
        });
    return out;
  }

  /** Starts or drains replicas so that {@code count} of the version run. */
  void ensure(String version, String modelUri, int count, Instant now) {
    List<Replica> live =
        replicas.stream()
            .filter(r -> r.version.equals(version) && r.state != State.DRAINING)
            .sorted(Comparator.comparing((Replica r) -> r.state == State.READY).reversed())
            .toList();
    for (int i = count; i < live.size(); i++) {
      live.get(i).state = State.DRAINING;
    }
    int crashed = crashes.getOrDefault(version, 0);
    Instant last = lastCrash.get(version);
    if (crashed > 0 && last != null && now.isBefore(last.plusSeconds(Math.min(30, 2L * crashed)))) {
      return;
    }
    for (int i = live.size(); i < count; i++) {
      int port = freePort();
      Path log = logDir.resolve(version + "-" + (++started) + ".log");
      replicas.add(
          new Replica(version, modelUri, port, launcher.start(version, modelUri, port, log)));
    }
  }

  /** Drains every replica of the version. */
  void remove(String version) {
    replicas.stream().filter(r -> r.version.equals(version)).forEach(r -> r.state = State.DRAINING);
    crashes.remove(version);
  }

  /**
   * Stops draining replicas the router neither routes to ({@code routed}) nor has requests in
   * flight to; SIGTERM lets the server finish anything left.
   */
  void stopDrained(Set<String> routed, Map<String, Integer> inFlight) {
    for (Replica r : replicas) {
      if (r.state == State.DRAINING
          && !routed.contains(r.backend())
          && inFlight.getOrDefault(r.backend(), 0) == 0) {
        processes.terminate(r.process);
        replicas.remove(r);
      }
    }
  }

  /**
   * Records the replicas in {@code replicas.json} (version, model, port, process, state): for
   * people and tests looking in, and so a control plane that did not stop cleanly can stop them.
   */
  void record(Path file) {
    com.fasterxml.jackson.databind.node.ArrayNode list = JSON.createArrayNode();
    for (Replica r : replicas) {
      com.fasterxml.jackson.databind.node.ObjectNode o = list.addObject();
      o.put("version", r.version);
      o.put("modelUri", r.modelUri);
      o.put("port", r.port);
      o.put("state", r.state.name());
      o.set("process", JSON.valueToTree(r.process));
    }
    recordFile = file;
    String text = list.toPrettyString();
    if (!text.equals(recorded)) {
      try {
        java.nio.file.Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        java.nio.file.Files.writeString(tmp, text);
        java.nio.file.Files.move(
            tmp,
            file,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        recorded = text;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot record replicas in " + file, e);
      }
    }
  }

  /** Stops the processes a {@code replicas.json} of an earlier control plane names, if alive. */
  static void stopRecorded(Path file, LocalProcesses processes) {
    try {
      if (!java.nio.file.Files.exists(file)) {
        return;
      }
      for (com.fasterxml.jackson.databind.JsonNode r : JSON.readTree(file.toFile())) {
        LocalProcesses.Handle h = JSON.treeToValue(r.get("process"), LocalProcesses.Handle.class);
        if (processes.alive(h)) {
          processes.kill(h);
        }
      }
      java.nio.file.Files.delete(file);
    } catch (IOException e) {
      // A torn record: nothing to stop from it.
    }
  }

  /** Removes the record of a deleted endpoint's replicas. */
  void forget() {
    if (recordFile != null) {
      try {
        java.nio.file.Files.deleteIfExists(recordFile);
      } catch (IOException e) {
        // Left behind: a later start finds nothing alive in it.
      }
    }
  }

  /** Stops every replica at once. */
  void stopAll() {
    replicas.forEach(r -> processes.kill(r.process));
    replicas.clear();
  }

  private static String get(Replica r, String path) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://" + r.backend() + path))
                  .timeout(Duration.ofMillis(500))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("no free port for a replica", e);
    }
  }
}
