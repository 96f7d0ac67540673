package dev.kiln.controlplane.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.controlplane.endpoint.EndpointObserved.Route;
import dev.kiln.controlplane.endpoint.EndpointObserved.RouterState;
import dev.kiln.controlplane.endpoint.EndpointObserved.Stats;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The router's admin API ({@code /admin/endpoints/<name>}) as the controller uses it: read an
 * endpoint's routes and stats, replace its routes, forget it.
 */
public final class RouterClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final String base;
  private final String token;

  /** {@code base}: {@code http://host:port}; {@code token}: the router's admin token, or null. */
  public RouterClient(String base, String token) {
    this.base = base;
    this.token = token;
  }

  /** What the router holds for the endpoint (empty routes when it has none); empty if down. */
  public Optional<RouterState> get(String endpoint) {
    try {
      HttpResponse<String> r = send(request(endpoint).GET());
      if (r.statusCode() == 404) {
        return Optional.of(new RouterState(List.of(), Map.of(), Map.of()));
      }
      if (r.statusCode() != 200) {
        return Optional.empty();
      }
      return Optional.of(parse(JSON.readTree(r.body())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Replaces the endpoint's routes; false when the router did not take them. */
  public boolean put(String endpoint, List<Route> routes) {
    ArrayNode versions = JSON.createArrayNode();
    for (Route r : routes) {
      ObjectNode v = versions.addObject();
      v.put("name", r.version());
      v.put("weight", r.weight());
      ArrayNode backends = v.putArray("backends");
      r.backends().forEach(backends::add);
    }
    ObjectNode body = JSON.createObjectNode();
    body.set("versions", versions);
    try {
      return send(request(endpoint).PUT(HttpRequest.BodyPublishers.ofString(body.toString())))
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** Forgets the endpoint. */
  public boolean delete(String endpoint) {
    try {
      return send(request(endpoint).DELETE()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether the router answers. */
  public boolean answers() {
    try {
      return send(HttpRequest.newBuilder(URI.create(base + "/healthz")).GET()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  private HttpRequest.Builder request(String endpoint) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + "/admin/endpoints/" + endpoint))
            .timeout(Duration.ofSeconds(3))
            .header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  static RouterState parse(JsonNode json) {
    List<Route> routes = new ArrayList<>();
    for (JsonNode v : json.path("versions")) {
      List<String> backends = new ArrayList<>();
      v.path("backends").forEach(b -> backends.add(b.asText()));
      routes.add(new Route(v.path("name").asText(), v.path("weight").asInt(), backends));
    }
    Map<String, Stats> stats = new HashMap<>();
    json.path("stats")
        .fields()
        .forEachRemaining(
            e ->
                stats.put(
                    e.getKey(),
                    new Stats(
                        e.getValue().path("requests").asLong(),
                        e.getValue().path("errors").asLong(),
                        e.getValue().path("p99Millis").asDouble())));
    Map<String, Integer> inFlight = new HashMap<>();
    json.path("backendsInFlight")
        .fields()
        .forEachRemaining(e -> inFlight.put(e.getKey(), e.getValue().asInt()));
    return new RouterState(routes, stats, inFlight);
  }
}
