package dev.kiln.controlplane.endpoint.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The router's admin API as a fake for the cluster shell's tests: it keeps the routes it is given
 * and reports no stats and nothing in flight. Quarkus points {@code kiln.endpoint.router-url} at
 * it.
 */
public class FakeRouter implements QuarkusTestResourceLifecycleManager {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Map<String, JsonNode> ROUTES = new ConcurrentHashMap<>();
  private HttpServer server;

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext("/healthz", x -> answer(x, 200, "ok"));
    server.createContext("/admin/endpoints/", this::admin);
    server.start();
    return Map.of("kiln.endpoint.router-url", "http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void admin(HttpExchange x) throws IOException {
    String name = x.getRequestURI().getPath().substring("/admin/endpoints/".length());
    switch (x.getRequestMethod()) {
      case "PUT" -> {
        ROUTES.put(name, JSON.readTree(x.getRequestBody()));
        answer(x, 200, "{}");
      }
      case "DELETE" -> {
        ROUTES.remove(name);
        answer(x, 200, "{}");
      }
      default -> {
        JsonNode routes = ROUTES.get(name);
        if (routes == null) {
          answer(x, 404, "{\"error\":\"no endpoint\"}");
          return;
        }
        ObjectNode body = routes.deepCopy();
        body.putObject("stats");
        body.putObject("backendsInFlight");
        answer(x, 200, body.toString());
      }
    }
  }

  private static void answer(HttpExchange x, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(code, bytes.length);
    x.getResponseBody().write(bytes);
    x.close();
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }
}
