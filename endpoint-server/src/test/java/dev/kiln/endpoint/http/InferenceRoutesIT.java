package dev.kiln.endpoint.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.endpoint.batch.BatchOptions;
import dev.kiln.endpoint.runner.FakeRunner;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The routes on a real Vert.x HTTP server, with a fake model whose batches the test controls. */
class InferenceRoutesIT {

  private static final String ROW =
      "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]}]}";

  private final HttpClient http = HttpClient.newHttpClient();
  private Vertx vertx;
  private HttpServer server;
  private InferenceRoutes routes;
  private FakeRunner runner;
  private String base;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    routes = new InferenceRoutes(new ServerMetrics(), 4096);
    Router router = Router.router(vertx);
    routes.install(router);
    server =
        vertx
            .createHttpServer()
            .requestHandler(router)
            .listen(0)
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + server.actualPort();
    runner = new FakeRunner(3);
  }

  @AfterEach
  void stop() throws Exception {
    runner.open();
    routes.shutdown(Duration.ofSeconds(5));
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private void serve(BatchOptions options) {
    routes.serve("fake", runner, options);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String type, String body) throws Exception {
    return postAsync(path, type, body).get(30, TimeUnit.SECONDS);
  }

  private CompletableFuture<HttpResponse<String>> postAsync(String path, String type, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private double metric(String line) throws Exception {
    for (String l : get("/metrics").body().split("\n")) {
      if (l.startsWith(line + " ")) {
        return Double.parseDouble(l.substring(line.length() + 1));
      }
    }
    return Double.NaN;
  }

  @Test
  void healthFollowsTheModelLifecycle() throws Exception {
    assertThat(get("/v2/health/live").statusCode()).isEqualTo(200);
    HttpResponse<String> loading = get("/v2/health/ready");
    assertThat(loading.statusCode()).isEqualTo(503);
    assertThat(loading.body()).contains("the model is still loading");
    assertThat(post("/v2/models/fake/infer", "application/json", ROW).statusCode()).isEqualTo(503);
    assertThat(get("/ping").statusCode()).isEqualTo(503);
    serve(new BatchOptions(8, 0, 16));
    assertThat(get("/v2/health/ready").statusCode()).isEqualTo(200);
    assertThat(get("/ping").statusCode()).isEqualTo(200);
    assertThat(get("/v2/models/fake/ready").statusCode()).isEqualTo(200);
    assertThat(get("/v2").body()).contains("\"name\":\"kiln\"");
  }

  @Test
  void loadFailureShowsInReadiness() throws Exception {
    routes.failed("model not found: /x");
    assertThat(get("/v2/health/ready").body())
        .contains("the model failed to load: model not found: /x");
  }

  @Test
  void answersV2InferAndMetadata() throws Exception {
    serve(new BatchOptions(8, 0, 16));
    HttpResponse<String> r =
        post(
            "/v2/models/fake/infer",
            "application/json",
            ROW.replace("{\"inputs\"", "{\"id\":\"a1\",\"inputs\""));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(r.body())
        .startsWith(
            "{\"model_name\":\"fake\",\"id\":\"a1\",\"outputs\":[{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[0.99");
    HttpResponse<String> meta = get("/v2/models/fake");
    assertThat(meta.statusCode()).isEqualTo(200);
    assertThat(meta.body()).contains("\"shape\":[-1,3]").contains("\"labels\":[\"pos\",\"neg\"]");
  }

  @Test
  void answersInvocationsInJsonAndCsv() throws Exception {
    serve(new BatchOptions(8, 0, 16));
    HttpResponse<String> json =
        post("/invocations", "application/json", "{\"instances\":[[1,2,3],[-1,-2,-3]]}");
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.body())
        .startsWith("{\"predictions\":[{\"label\":\"pos\",\"label_index\":0,")
        .contains("{\"label\":\"neg\",\"label_index\":1,");
    HttpResponse<String> csv = post("/invocations", "text/csv", "1,2,3\n-1,-2,-3\n");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.body()).contains("\"label\":\"pos\"");
    HttpResponse<String> csvOut =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/invocations"))
                .header("Content-Type", "text/csv")
                .header("Accept", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString("1,2,3\n"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(csvOut.headers().firstValue("content-type")).hasValue("text/csv");
    assertThat(csvOut.body()).startsWith("pos,0.99");
  }

  @Test
  void badInputGets4xxWithWhatWasExpected() throws Exception {
    serve(new BatchOptions(8, 0, 16));
    HttpResponse<String> shape =
        post(
            "/v2/models/fake/infer",
            "application/json",
            ROW.replace("[1,3]", "[1,2]").replace("[1,2,3]", "[1,2]"));
    assertThat(shape.statusCode()).isEqualTo(400);
    assertThat(shape.body())
        .isEqualTo("{\"error\":\"expected FP32 input of shape [N, 3], got [1, 2]\"}");
    assertThat(post("/v2/models/fake/infer", "application/json", "").body())
        .contains("empty request body");
    assertThat(post("/v2/models/fake/infer", "application/json", "{\"inputs\":[").statusCode())
        .isEqualTo(400);
    assertThat(
            post("/v2/models/fake/infer", "application/json", ROW.replace("2,3]", "NaN,3]")).body())
        .contains("NaN");
    HttpResponse<String> other = post("/v2/models/other/infer", "application/json", ROW);
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(other.body()).contains("model 'other' not found; this server serves 'fake'");
    assertThat(get("/v2/models/other").statusCode()).isEqualTo(404);
    HttpResponse<String> type = post("/invocations", "application/x-npy", "xx");
    assertThat(type.statusCode()).isEqualTo(415);
    assertThat(type.body()).contains("expected application/json or text/csv");
    assertThat(post("/invocations", "text/csv", "1,2\n").body())
        .contains("CSV line 1 has 2 values; expected 3");
    HttpResponse<String> huge = post("/invocations", "text/csv", "1,2,3\n".repeat(1000));
    assertThat(huge.statusCode()).isEqualTo(413);
    assertThat(huge.body()).contains("exceeds the limit of 4096 bytes");
    // After all that the server still answers, and no request is left counted in flight.
    assertThat(post("/v2/models/fake/infer", "application/json", ROW).statusCode()).isEqualTo(200);
    await()
        .atMost(10, TimeUnit.SECONDS)
        .untilAsserted(() -> assertThat(routes.inFlight()).isZero());
    assertThat(metric("kiln_endpoint_requests_total{route=\"infer\",code=\"400\",}")).isEqualTo(4);
  }

  @Test
  void concurrentRequestsRunAsOneBatchAndTheMetricsSayHowBig() throws Exception {
    runner.gated();
    serve(new BatchOptions(32, 0, 64));
    CompletableFuture<HttpResponse<String>> first =
        postAsync("/v2/models/fake/infer", "application/json", ROW);
    runner.awaitEntered();
    List<CompletableFuture<HttpResponse<String>>> rest = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      rest.add(postAsync("/invocations", "application/json", "[[1,2,3]]"));
    }
    await().atMost(30, TimeUnit.SECONDS).until(() -> metric("kiln_endpoint_queue_depth") == 6);
    assertThat(metric("kiln_endpoint_in_flight_requests")).isEqualTo(7);
    runner.open();
    assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    for (CompletableFuture<HttpResponse<String>> f : rest) {
      assertThat(f.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    assertThat(runner.batchSizes()).containsExactly(1, 6);
    assertThat(metric("kiln_endpoint_batch_size_count")).isEqualTo(2);
    assertThat(metric("kiln_endpoint_batch_size_sum")).isEqualTo(7);
    assertThat(metric("kiln_endpoint_batch_size_bucket{le=\"4.0\",}")).isEqualTo(1);
  }

  @Test
  void loneRequestIsAnsweredDespiteAnHourOfMaxDelay() throws Exception {
    serve(new BatchOptions(32, TimeUnit.HOURS.toMicros(1), 64));
    assertThat(post("/v2/models/fake/infer", "application/json", ROW).statusCode()).isEqualTo(200);
    assertThat(post("/invocations", "text/csv", "1,2,3").statusCode()).isEqualTo(200);
  }

  @Test
  void fullQueueAnswers429() throws Exception {
    runner.gated();
    serve(new BatchOptions(1, 0, 1));
    CompletableFuture<HttpResponse<String>> running =
        postAsync("/v2/models/fake/infer", "application/json", ROW);
    runner.awaitEntered();
    CompletableFuture<HttpResponse<String>> queued =
        postAsync("/v2/models/fake/infer", "application/json", ROW);
    await().atMost(30, TimeUnit.SECONDS).until(() -> metric("kiln_endpoint_queue_depth") == 1);
    HttpResponse<String> refused = post("/v2/models/fake/infer", "application/json", ROW);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
    assertThat(refused.body()).contains("server overloaded");
    runner.open();
    assertThat(running.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(queued.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void modelFailureIsA500AndTheServerCarriesOn() throws Exception {
    serve(new BatchOptions(8, 0, 16));
    runner.failWith(new IllegalStateException("kaput"));
    HttpResponse<String> r = post("/v2/models/fake/infer", "application/json", ROW);
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).contains("prediction failed").contains("kaput");
    runner.failWith(null);
    assertThat(post("/v2/models/fake/infer", "application/json", ROW).statusCode()).isEqualTo(200);
  }

  @Test
  void gracefulShutdownFinishesAcceptedRequestsAndRefusesNewOnes() throws Exception {
    runner.gated();
    serve(new BatchOptions(1, 0, 16));
    CompletableFuture<HttpResponse<String>> running =
        postAsync("/v2/models/fake/infer", "application/json", ROW);
    runner.awaitEntered();
    CompletableFuture<HttpResponse<String>> queued = postAsync("/invocations", "text/csv", "1,2,3");
    await().atMost(30, TimeUnit.SECONDS).until(() -> metric("kiln_endpoint_queue_depth") == 1);
    CompletableFuture<Boolean> shutdown =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return routes.shutdown(Duration.ofSeconds(30));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    await().atMost(30, TimeUnit.SECONDS).until(() -> get("/v2/health/ready").statusCode() == 503);
    HttpResponse<String> late = post("/v2/models/fake/infer", "application/json", ROW);
    assertThat(late.statusCode()).isEqualTo(503);
    assertThat(late.body()).contains("shutting down");
    assertThat(shutdown).isNotDone();
    runner.open();
    assertThat(running.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(queued.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(shutdown.get(30, TimeUnit.SECONDS)).isTrue();
    assertThat(runner.isClosed()).isTrue();
  }
}
