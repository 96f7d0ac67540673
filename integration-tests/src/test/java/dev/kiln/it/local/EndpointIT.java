package dev.kiln.it.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.api.InferenceEndpoint;
import dev.kiln.api.spec.InferenceEndpointSpec;
import dev.kiln.api.spec.InferenceEndpointSpec.ModelSource;
import dev.kiln.cli.local.LocalClient;
import dev.kiln.model.ModelConfig;
import dev.kiln.model.Network;
import dev.kiln.model.OptimizerConfig;
import dev.kiln.model.Standardizer;
import dev.kiln.model.compute.ComputeBackend;
import dev.kiln.model.compute.ComputeBackends;
import dev.kiln.model.io.ModelArtifact;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An endpoint in local mode, end to end: {@code kiln endpoint deploy} and {@code invoke}, then
 * under a constant load a rollout, a canary whose observed split is its percentage, a rollback of a
 * canary whose replica dies, and a scale-up — with not one non-2xx answer to the load.
 */
class EndpointIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NAME = "digits";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir static Path dir;
  private static String url;
  private static LocalKiln kiln;

  @BeforeAll
  static void up() throws IOException {
    kiln = new LocalKiln(dir);
    assertThat(kiln.up().exit()).isZero();
  }

  @AfterAll
  static void down() throws IOException {
    if (kiln != null) {
      kiln.close();
    }
  }

  @Test
  void servesRollsOutCanariesRollsBackAndScalesUnderLoadWithoutAFailedRequest() throws Exception {
    String a = "file:" + writeModel(dir.resolve("a"), 1) + "/";
    String b = "file:" + writeModel(dir.resolve("b"), 2) + "/";
    String canary = a + "model.onnx";

    LocalKiln.Run deploy =
        kiln.kiln("endpoint", "deploy", NAME, "--uri", a, "--max", "1", "--wait");
    assertThat(deploy.exit()).as(deploy.err()).isZero();
    url = endpoint().getStatus().url;
    assertThat(url).isEqualTo("http://127.0.0.1:" + kiln.routerPort + "/endpoints/" + NAME);
    LocalKiln.Run invoke = kiln.kiln("endpoint", "invoke", NAME, "--data", "[" + row() + "]");
    assertThat(invoke.exit()).as(invoke.err()).isZero();
    assertThat(invoke.out()).contains("\"predictions\"");
    assertThat(kiln.kiln("endpoint", "get", NAME).out()).contains("URL:        " + url);

    try (Load load = new Load(url, 4)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> load.ok.get() > 200);

      // Rollout: B starts beside A, takes the traffic once ready, A drains and stops.
      apply(spec(b, 1, 8, null));
      InferenceEndpoint rolled = awaitEndpoint(e -> b.equals(e.getStatus().model.current));
      assertThat(rolled.getStatus().phase).isEqualTo("Ready");
      await().atMost(Duration.ofSeconds(60)).until(() -> versions().size() == 1);
      String stableAnswer = answer();

      // Canary at 10%: the observed split over 1,000 requests is within 5 points.
      InferenceEndpointSpec.Canary c = new InferenceEndpointSpec.Canary();
      c.model = ModelSource.ofUri(canary);
      c.trafficPercent = 10;
      c.bakeSeconds = 600;
      c.maxP99Ratio = 1000.0;
      c.maxErrorRateIncrease = 0.01;
      apply(spec(b, 1, 8, c));
      awaitEndpoint(
          e -> canary.equals(e.getStatus().model.canary) && "Ready".equals(e.getStatus().phase));
      int fromCanary = 0;
      for (int i = 0; i < 1000; i++) {
        if (!answer().equals(stableAnswer)) {
          fromCanary++;
        }
      }
      assertThat(fromCanary).isBetween(50, 150);

      // Rollback: the canary's replica dies; the router answers from stable and counts the errors.
      for (JsonNode r : versions()) {
        if (canary.equals(r.path("modelUri").asText())) {
          kill(r.path("process").path("pid").asLong());
        }
      }
      InferenceEndpoint back = awaitEndpoint(e -> canary.equals(e.getStatus().model.rolledBack));
      assertThat(back.getStatus().model.canary).isNull();
      assertThat(back.getStatus().conditions)
          .anySatisfy(
              cond -> {
                assertThat(cond.getType()).isEqualTo("CanaryRolledBack");
                assertThat(cond.getStatus()).isEqualTo("True");
                assertThat(cond.getReason()).isIn("CanaryErrorRate", "CanaryReplicaExited");
              });
      assertThat(kiln.kiln("endpoint", "get", NAME).out())
          .containsPattern("Warning Canary\\w+: rolled back canary " + canary);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> IntStream.range(0, 50).allMatch(i -> stableAnswer.equals(answerQuietly())));

      // Scale-up: at most 2 replicas, 1 request in flight each: the load needs both.
      apply(spec(b, 2, 1, null));
      InferenceEndpoint scaled =
          awaitEndpoint(e -> e.getStatus().replicas != null && e.getStatus().replicas.ready == 2);
      assertThat(scaled.getStatus().lastScale.from).isEqualTo(1);
      assertThat(scaled.getStatus().lastScale.to).isEqualTo(2);
      assertThat(scaled.getStatus().lastScale.reason).contains("in-flight");
      assertThat(scaled.getStatus().model.current).isEqualTo(b);

      load.stop();
      assertThat(load.failures).as("failed requests: %s", load.lastFailure).isEmpty();
      assertThat(load.ok.get()).isGreaterThan(1000);
    }
    assertThat(kiln.kiln("endpoint", "delete", NAME).exit()).isZero();
    await().atMost(Duration.ofSeconds(30)).until(() -> !anyReplicaAlive());
  }

  @Test
  void aControlPlaneKilledWithMinus9ComesBackWithItsEndpointServingAndNoOrphanRouter()
      throws Exception {
    String model = "file:" + writeModel(dir.resolve("restart"), 3) + "/";
    LocalKiln.Run deploy =
        kiln.kiln("endpoint", "deploy", "again", "--uri", model, "--max", "1", "--wait");
    assertThat(deploy.exit()).as(deploy.err()).isZero();
    JsonNode router = JSON.readTree(kiln.home.resolve("endpoints/router.json").toFile());
    long oldRouter = router.path("pid").asLong();
    long controlPlane = kiln.localFile().pid();

    ProcessHandle.of(controlPlane).ifPresent(ProcessHandle::destroyForcibly);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ProcessHandle.of(controlPlane).map(p -> !p.isAlive()).orElse(true));
    assertThat(kiln.up().exit()).isZero();

    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              LocalKiln.Run invoke =
                  kiln.kiln("endpoint", "invoke", "again", "--data", "[" + row() + "]");
              assertThat(invoke.exit()).as(invoke.err()).isZero();
            });
    assertThat(ProcessHandle.of(oldRouter).map(ProcessHandle::isAlive).orElse(false))
        .as("the router the killed control plane started is gone")
        .isFalse();
    assertThat(kiln.kiln("endpoint", "delete", "again").exit()).isZero();
  }

  /** Clients that post one row at a time, back to back, and count what is not a 2xx. */
  private static final class Load implements AutoCloseable {
    final AtomicLong ok = new AtomicLong();
    final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    volatile String lastFailure = "";
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService pool;
    private final List<Future<?>> clients = new ArrayList<>();

    Load(String url, int clients) {
      pool = Executors.newFixedThreadPool(clients);
      for (int i = 0; i < clients; i++) {
        this.clients.add(pool.submit(() -> run(url)));
      }
    }

    private void run(String url) {
      HttpRequest request = invocation(url);
      while (running.get()) {
        try {
          HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() / 100 == 2) {
            ok.incrementAndGet();
          } else {
            failures.add(r.statusCode() + " " + r.body());
          }
        } catch (IOException e) {
          failures.add(e.toString());
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    void stop() throws Exception {
      running.set(false);
      for (Future<?> f : clients) {
        f.get();
      }
    }

    @Override
    public void close() {
      running.set(false);
      pool.shutdownNow();
    }
  }

  private static HttpRequest invocation(String url) {
    return HttpRequest.newBuilder(URI.create(url + "/invocations"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("[" + row() + "]"))
        .build();
  }

  /** The first class probability, rounded: tells model A's answers from B's. */
  private static String answer() throws Exception {
    HttpResponse<String> r = HTTP.send(invocation(url), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    double p =
        JSON.readTree(r.body()).path("predictions").get(0).path("probabilities").get(0).asDouble();
    return String.format(java.util.Locale.ROOT, "%.4f", p);
  }

  private static String answerQuietly() {
    try {
      return answer();
    } catch (Exception e) {
      return e.toString();
    }
  }

  private static String row() {
    return IntStream.range(0, 64)
        .mapToObj(i -> Double.toString((i % 17) / 16.0))
        .collect(Collectors.joining(",", "[", "]"));
  }

  private static InferenceEndpoint endpoint() {
    try (LocalClient c = kiln.client()) {
      return c.get(InferenceEndpoint.class, "default", NAME).orElseThrow();
    }
  }

  private static InferenceEndpoint awaitEndpoint(Predicate<InferenceEndpoint> done) {
    return await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(EndpointIT::endpoint, e -> e.getStatus() != null && done.test(e));
  }

  private static InferenceEndpointSpec spec(
      String uri, int max, int targetInFlight, InferenceEndpointSpec.Canary canary) {
    InferenceEndpointSpec spec = new InferenceEndpointSpec();
    spec.model = ModelSource.ofUri(uri);
    spec.replicas = new InferenceEndpointSpec.Replicas();
    spec.replicas.min = 1;
    spec.replicas.max = max;
    spec.autoscaling = new InferenceEndpointSpec.Autoscaling();
    spec.autoscaling.targetInFlight = targetInFlight;
    spec.autoscaling.scaleDownDelaySeconds = 600;
    spec.canary = canary;
    return spec;
  }

  private static void apply(InferenceEndpointSpec spec) {
    InferenceEndpoint e = new InferenceEndpoint();
    ObjectMeta meta = new ObjectMeta();
    meta.setName(NAME);
    meta.setNamespace("default");
    e.setMetadata(meta);
    e.setSpec(spec);
    try (LocalClient c = kiln.client()) {
      c.apply(e, InferenceEndpoint.class);
    }
  }

  /** The replicas as the control plane records them in {@code replicas.json}. */
  private static List<JsonNode> versions() throws IOException {
    Path file = kiln.home.resolve("endpoints/default/" + NAME + "/replicas.json");
    List<JsonNode> out = new ArrayList<>();
    if (Files.exists(file)) {
      JSON.readTree(file.toFile()).forEach(out::add);
    }
    Map<String, List<JsonNode>> byVersion =
        out.stream().collect(Collectors.groupingBy(r -> r.path("version").asText()));
    return byVersion.values().stream().map(l -> l.get(0)).toList();
  }

  private static boolean anyReplicaAlive() throws IOException {
    Path file = kiln.home.resolve("endpoints/default/" + NAME + "/replicas.json");
    if (!Files.exists(file)) {
      return false;
    }
    for (JsonNode r : JSON.readTree(file.toFile())) {
      if (ProcessHandle.of(r.path("process").path("pid").asLong())
          .map(ProcessHandle::isAlive)
          .orElse(false)) {
        return true;
      }
    }
    return false;
  }

  /** Kills a replica as a crash would: its wrapper and the JVM under it, at once. */
  private static void kill(long pid) {
    ProcessHandle.of(pid)
        .ifPresent(
            p -> {
              p.descendants().forEach(ProcessHandle::destroyForcibly);
              p.destroyForcibly();
            });
  }

  /** A seeded 64-16-10 classifier as a Kiln artifact (model.json, safetensors, model.onnx). */
  private static Path writeModel(Path dir, long seed) throws IOException {
    ModelConfig config =
        ModelConfig.mlp(new int[] {16}, 10, OptimizerConfig.sgd(0.01f, 0.9f), 32, seed);
    float[] mean = new float[64];
    float[] std = new float[64];
    Arrays.fill(std, 1f);
    List<String> labels = IntStream.range(0, 10).mapToObj(Integer::toString).toList();
    try (ComputeBackend backend = ComputeBackends.create("cpu", 1);
        Network network = Network.create(config, 64, backend)) {
      ModelArtifact.of(network, new Standardizer(mean, std), labels, Map.of()).write(dir);
    }
    return dir.toAbsolutePath();
  }
}
