package dev.kiln.endpoint.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The router over real sockets, with small HTTP servers standing in for model replicas. */
class RouterIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Vertx vertx;
  private static RouterServer router;
  private static int port;
  private static final List<HttpServer> replicas = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    router = new RouterServer(vertx, "secret");
    port = router.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get();
  }

  @AfterAll
  static void stop() {
    router.close();
    vertx.close();
  }

  /** A replica that answers 200 with its name and the path it saw. */
  private static String replica(String name) throws Exception {
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                r ->
                    r.body()
                        .onSuccess(
                            b ->
                                r.response()
                                    .putHeader("content-type", "application/json")
                                    .end(
                                        new JsonObject()
                                            .put("version", name)
                                            .put("path", r.uri())
                                            .put("body", b.toString())
                                            .encode())));
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    replicas.add(server);
    return "127.0.0.1:" + server.actualPort();
  }

  private static HttpResponse<String> put(String name, String json) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/endpoints/" + name))
            .header("Authorization", "Bearer secret")
            .PUT(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> invoke(String name, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/endpoints/" + name + path))
            .POST(HttpRequest.BodyPublishers.ofString("[[1,2]]"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String routes(String... versions) {
    return "{\"versions\":[" + String.join(",", versions) + "]}";
  }

  private static String version(String name, int weight, String... backends) {
    return "{\"name\":\"%s\",\"weight\":%d,\"backends\":[%s]}"
        .formatted(
            name,
            weight,
            String.join(",", java.util.Arrays.stream(backends).map(b -> "\"" + b + "\"").toList()));
  }

  @Test
  void forwardsThePathUnderTheEndpointAndTheBody() throws Exception {
    String a = replica("a");
    assertThat(put("fwd", routes(version("v1", 100, a))).statusCode()).isEqualTo(200);
    HttpResponse<String> r = invoke("fwd", "/invocations?x=1");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("path")).isEqualTo("/invocations?x=1");
    assertThat(body.getString("body")).isEqualTo("[[1,2]]");
    assertThat(invoke("nosuch", "/ping").statusCode()).isEqualTo(404);
  }

  @Test
  void splitsByWeightAndReportsPerVersionStats() throws Exception {
    String a = replica("stable");
    String b = replica("canary");
    put("split", routes(version("stable", 80, a), version("canary", 20, b)));
    Map<String, Integer> seen = new ConcurrentHashMap<>();
    for (int i = 0; i < 500; i++) {
      seen.merge(
          new JsonObject(invoke("split", "/invocations").body()).getString("version"),
          1,
          Integer::sum);
    }
    assertThat(seen).containsEntry("stable", 400).containsEntry("canary", 100);
    JsonObject state =
        new JsonObject(
            HTTP.send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/admin/endpoints/split"))
                        .header("Authorization", "Bearer secret")
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    JsonObject canary = state.getJsonObject("stats").getJsonObject("canary");
    assertThat(canary.getLong("requests")).isEqualTo(100);
    assertThat(canary.getLong("errors")).isZero();
    assertThat(canary.getDouble("p99Millis")).isPositive();
  }

  @Test
  void adminApiWantsTheToken() throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/endpoints"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(put("bad", "{\"versions\":[{\"weight\":1}]}").body())
        .contains("needs a \\\"name\\\"");
  }

  @Test
  void swapsVersionsUnderLoadWithoutAFailedRequest() throws Exception {
    String a = replica("old");
    String b = replica("new");
    put("swap", routes(version("old", 100, a)));
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger failures = new AtomicInteger();
    Map<String, Integer> seen = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> clients = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      clients.add(
          pool.submit(
              () -> {
                while (running.get()) {
                  try {
                    HttpResponse<String> r = invoke("swap", "/invocations");
                    if (r.statusCode() != 200) {
                      failures.incrementAndGet();
                    } else {
                      seen.merge(new JsonObject(r.body()).getString("version"), 1, Integer::sum);
                    }
                  } catch (Exception e) {
                    failures.incrementAndGet();
                  }
                }
              }));
    }
    Thread.sleep(300);
    put("swap", routes(version("old", 0, a), version("new", 100, b)));
    Thread.sleep(300);
    running.set(false);
    for (Future<?> f : clients) {
      f.get();
    }
    pool.shutdown();
    assertThat(failures.get()).isZero();
    assertThat(seen).containsKeys("old", "new");
  }

  @Test
  void retriesARequestThatGotNoAnswerOnAnotherReplica() throws Exception {
    String live = replica("live");
    int dead;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      dead = s.getLocalPort();
    }
    put("retry", routes(version("v", 100, "127.0.0.1:" + dead, live)));
    for (int i = 0; i < 10; i++) {
      assertThat(invoke("retry", "/invocations").statusCode()).isEqualTo(200);
    }
    put("gone", routes(version("v", 100, "127.0.0.1:" + dead)));
    HttpResponse<String> r = invoke("gone", "/invocations");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.body()).contains("no answer from a replica");
  }
}
