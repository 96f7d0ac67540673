package dev.kiln.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.endpoint.testing.KilnModelResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Quarkus app serving a Kiln artifact: every protocol end to end through Quarkus's HTTP. */
@QuarkusTest
@QuarkusTestResource(value = KilnModelResource.class, restrictToAnnotatedClass = true)
class EndpointAppIT {

  private static final String ROW =
      IntStream.range(0, 64)
          .mapToObj(i -> Integer.toString(i % 7))
          .collect(Collectors.joining(","));

  @TestHTTPResource("/")
  URL url;

  private final HttpClient http = HttpClient.newHttpClient();

  private String base() {
    String s = url.toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private CompletableFuture<HttpResponse<String>> post(String path, String type, String body) {
    return http.sendAsync(
        HttpRequest.newBuilder(URI.create(base() + path))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @BeforeEach
  void awaitModel() {
    await().atMost(60, TimeUnit.SECONDS).until(() -> get("/v2/health/ready").statusCode() == 200);
  }

  @Test
  void servesV2InferMetadataAndHealth() throws Exception {
    assertThat(get("/v2/health/live").statusCode()).isEqualTo(200);
    HttpResponse<String> meta = get("/v2/models/digits");
    assertThat(meta.statusCode()).isEqualTo(200);
    assertThat(meta.body())
        .contains("\"platform\":\"kiln\"")
        .contains("\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,64]}]")
        .contains(
            "\"outputs\":[{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[-1,10]}]");
    String body =
        "{\"inputs\":[{\"name\":\"input\",\"shape\":[2,64],\"datatype\":\"FP32\",\"data\":[["
            + ROW
            + "],["
            + ROW
            + "]]}]}";
    HttpResponse<String> r =
        post("/v2/models/digits/infer", "application/json", body).get(30, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"shape\":[2,10]");
    HttpResponse<String> bad =
        post("/v2/models/digits/infer", "application/json", body.replace("[2,64]", "[1,63]"))
            .get(30, TimeUnit.SECONDS);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("expected FP32 input of shape [N, 64], got [1, 63]");
  }

  @Test
  void servesInvocationsAndPing() throws Exception {
    assertThat(get("/ping").statusCode()).isEqualTo(200);
    HttpResponse<String> json =
        post("/invocations", "application/json", "{\"instances\":[[" + ROW + "]]}")
            .get(30, TimeUnit.SECONDS);
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.body())
        .matches(
            "\\{\"predictions\":\\[\\{\"label\":\"\\d\",\"label_index\":\\d,\"probabilities\":\\[.*\\]}]}");
    HttpResponse<String> csv =
        post("/invocations", "text/csv", ROW + "\n" + ROW + "\n").get(30, TimeUnit.SECONDS);
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.body()).contains("\"label_index\"");
    assertThat(post("/invocations", "text/csv", "x,y").get(30, TimeUnit.SECONDS).statusCode())
        .isEqualTo(400);
  }

  @Test
  void concurrentRequestsAreAllAnsweredDespiteAnHourOfMaxDelay() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      all.add(post("/invocations", "text/csv", ROW));
    }
    for (CompletableFuture<HttpResponse<String>> f : all) {
      assertThat(f.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    String metrics = get("/metrics").body();
    assertThat(metrics)
        .contains("kiln_endpoint_requests_total{route=\"invocations\",code=\"200\",}")
        .contains("kiln_endpoint_request_duration_seconds_bucket{route=\"invocations\"")
        .contains("kiln_endpoint_in_flight_requests 0.0")
        .contains("kiln_endpoint_queue_depth 0.0");
    // How they were grouped depends on arrival times; InferenceRoutesIT pins batching down.
    assertThat(value(metrics, "kiln_endpoint_batch_size_sum")).isGreaterThanOrEqualTo(40);
    assertThat(value(metrics, "kiln_endpoint_batched_requests_total")).isGreaterThanOrEqualTo(40);
  }

  private static double value(String metrics, String name) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1));
      }
    }
    throw new AssertionError(name + " not in /metrics");
  }
}
