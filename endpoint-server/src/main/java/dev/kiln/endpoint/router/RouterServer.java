package dev.kiln.endpoint.router;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The endpoint router: serves each endpoint under {@code /endpoints/<name>/}, splits its requests
 * by weight across model versions, retries a request that got no answer (or a 502/503) on another
 * replica, and measures each version's error rate and p99. The controller replaces an endpoint's
 * routes with {@code PUT /admin/endpoints/<name>}; requests already sent finish on the replica they
 * went to, and {@code GET /admin/endpoints/<name>} reports what is still in flight per replica so
 * the controller stops a replica only once it is drained.
 */
public final class RouterServer implements AutoCloseable {
  private static final int MAX_ATTEMPTS = 3;
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "transfer-encoding",
          "content-length",
          "host",
          "upgrade",
          "te",
          "trailer",
          "proxy-connection");

  private final Vertx vertx;
  private final HttpClient client;
  private final String token;
  private final RouterMetrics metrics = new RouterMetrics();
  private final Map<String, EndpointState> endpoints = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> backendInFlight = new ConcurrentHashMap<>();
  private HttpServer server;

  /** One endpoint: its current routes and what was measured per version. */
  static final class EndpointState {
    volatile WeightedPicker picker;
    final Map<String, VersionStats> stats = new ConcurrentHashMap<>();

    EndpointState(RouteTable table) {
      this.picker = new WeightedPicker(table);
    }

    VersionStats stats(String version) {
      return stats.computeIfAbsent(version, v -> new VersionStats());
    }
  }

  /** {@code token}: when set, the admin API wants {@code Authorization: Bearer <token>}. */
  public RouterServer(Vertx vertx, String token) {
    this.vertx = vertx;
    this.token = token == null || token.isBlank() ? null : token;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setConnectTimeout(2000).setIdleTimeout(60),
            new PoolOptions().setHttp1MaxSize(256));
    metrics.watch(endpoints);
  }

  /** Starts listening; completes with the bound port. */
  public Future<Integer> listen(String host, int port) {
    Router router = Router.router(vertx);
    router.get("/healthz").handler(ctx -> ctx.response().end("ok"));
    router.get("/metrics").handler(this::metrics);
    router.route("/admin/*").handler(this::authorize);
    router.get("/admin/endpoints").handler(this::listEndpoints);
    router.put("/admin/endpoints/:name").handler(BodyHandler.create()).handler(this::putRoutes);
    router.get("/admin/endpoints/:name").handler(this::getEndpoint);
    router.delete("/admin/endpoints/:name").handler(this::deleteEndpoint);
    router
        .route("/endpoints/:name*")
        .handler(BodyHandler.create().setBodyLimit(64L << 20))
        .handler(this::proxy);
    server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port));
    return server.requestHandler(router).listen().map(HttpServer::actualPort);
  }

  /** Requests in flight through this router, over all endpoints. */
  public int inFlight() {
    return backendInFlight.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  @Override
  public void close() {
    if (server != null) {
      server.close().toCompletionStage().toCompletableFuture().join();
    }
    client.close();
  }

  private void proxy(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    EndpointState endpoint = endpoints.get(name);
    if (endpoint == null) {
      error(ctx, 404, "no endpoint '" + name + "' on this router; it serves " + endpoints.keySet());
      return;
    }
    String prefix = "/endpoints/" + name;
    String uri = ctx.request().uri().substring(prefix.length());
    if (uri.isEmpty() || uri.charAt(0) != '/') {
      uri = "/" + uri;
    }
    Buffer body = ctx.body().buffer();
    attempt(
        ctx,
        name,
        endpoint,
        endpoint.picker.next(),
        uri,
        body == null ? Buffer.buffer() : body,
        new HashSet<>(),
        1);
  }

  private void attempt(
      RoutingContext ctx,
      String name,
      EndpointState endpoint,
      WeightedPicker.Pick pick,
      String uri,
      Buffer body,
      Set<String> tried,
      int attempt) {
    if (pick == null) {
      error(ctx, 503, "endpoint '" + name + "' has no ready replica yet; try again shortly");
      return;
    }
    tried.add(pick.backend());
    VersionStats stats = endpoint.stats(pick.version());
    AtomicInteger backend =
        backendInFlight.computeIfAbsent(pick.backend(), b -> new AtomicInteger());
    stats.started();
    backend.incrementAndGet();
    long start = System.nanoTime();
    int colon = pick.backend().lastIndexOf(':');
    RequestOptions options =
        new RequestOptions()
            .setMethod(ctx.request().method())
            .setHost(pick.backend().substring(0, colon))
            .setPort(Integer.parseInt(pick.backend().substring(colon + 1)))
            .setURI(uri)
            .setTimeout(120_000);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    copyHeaders(ctx.request().headers(), headers);
    options.setHeaders(headers);
    client
        .request(options)
        .compose(request -> request.send(body))
        .compose(response -> response.body().map(b -> new Answer(response, b)))
        .onComplete(
            result -> {
              long micros = (System.nanoTime() - start) / 1000;
              backend.decrementAndGet();
              boolean noAnswer = result.failed();
              int code = noAnswer ? 502 : result.result().response().statusCode();
              boolean retriable = noAnswer || code == 502 || code == 503;
              stats.finished(micros, noAnswer || code >= 500);
              metrics.attempt(name, pick.version(), code, micros);
              if (retriable && attempt < MAX_ATTEMPTS) {
                WeightedPicker.Pick next = endpoint.picker.retry(pick.version(), tried);
                if (next != null) {
                  attempt(ctx, name, endpoint, next, uri, body, tried, attempt + 1);
                  return;
                }
              }
              if (noAnswer) {
                error(ctx, 502, "no answer from a replica: " + result.cause().getMessage());
              } else {
                respond(ctx, result.result());
              }
            });
  }

  private record Answer(HttpClientResponse response, Buffer body) {}

  private static void respond(RoutingContext ctx, Answer answer) {
    if (ctx.response().closed()) {
      return;
    }
    ctx.response().setStatusCode(answer.response().statusCode());
    copyHeaders(answer.response().headers(), ctx.response().headers());
    ctx.response().end(answer.body());
  }

  private static void copyHeaders(MultiMap from, MultiMap to) {
    from.forEach(
        e -> {
          if (!HOP_BY_HOP.contains(e.getKey().toLowerCase(java.util.Locale.ROOT))) {
            to.add(e.getKey(), e.getValue());
          }
        });
  }

  private void authorize(RoutingContext ctx) {
    if (token != null
        && !("Bearer " + token).equals(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
      error(ctx, 401, "the admin API wants Authorization: Bearer <KILN_ROUTER_TOKEN>");
      return;
    }
    ctx.next();
  }

  private void putRoutes(RoutingContext ctx) {
    RouteTable table;
    try {
      JsonObject json = ctx.body().asJsonObject();
      if (json == null) {
        throw new IllegalArgumentException("expected a JSON body");
      }
      table = RouteTable.fromJson(json);
    } catch (RuntimeException e) {
      error(ctx, 400, "bad routes: " + e.getMessage());
      return;
    }
    String name = ctx.pathParam("name");
    endpoints.compute(
        name,
        (n, existing) -> {
          if (existing == null) {
            return new EndpointState(table);
          }
          // A fresh picker: requests already sent keep the replica they were given.
          existing.picker = new WeightedPicker(table);
          return existing;
        });
    json(ctx, describe(endpoints.get(name)));
  }

  private void getEndpoint(RoutingContext ctx) {
    EndpointState endpoint = endpoints.get(ctx.pathParam("name"));
    if (endpoint == null) {
      error(ctx, 404, "no endpoint '" + ctx.pathParam("name") + "' on this router");
      return;
    }
    json(ctx, describe(endpoint));
  }

  private void listEndpoints(RoutingContext ctx) {
    JsonObject all = new JsonObject();
    new TreeMap<>(endpoints).forEach((name, state) -> all.put(name, describe(state)));
    json(ctx, new JsonObject().put("endpoints", all));
  }

  private void deleteEndpoint(RoutingContext ctx) {
    boolean removed = endpoints.remove(ctx.pathParam("name")) != null;
    json(ctx, new JsonObject().put("deleted", removed));
  }

  /** The routes, per-version stats, and what is still in flight per replica. */
  private JsonObject describe(EndpointState endpoint) {
    RouteTable table = endpoint.picker.table();
    JsonObject stats = new JsonObject();
    new TreeMap<>(endpoint.stats).forEach((v, s) -> stats.put(v, s.toJson()));
    JsonObject inFlight = new JsonObject();
    new TreeMap<>(backendInFlight).forEach((b, n) -> inFlight.put(b, n.get()));
    return table.toJson().put("stats", stats).put("backendsInFlight", inFlight);
  }

  private void metrics(RoutingContext ctx) {
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
        .end(metrics.scrape());
  }

  private static void json(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
  }

  private static void error(RoutingContext ctx, int code, String message) {
    if (ctx.response().closed()) {
      return;
    }
    ctx.response()
        .setStatusCode(code)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", message).encode());
  }
}
