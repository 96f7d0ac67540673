package dev.kiln.endpoint.http;

import dev.kiln.endpoint.batch.BatchOptions;
import dev.kiln.endpoint.batch.Batcher;
import dev.kiln.endpoint.batch.Rejected;
import dev.kiln.endpoint.runner.ModelRunner;
import dev.kiln.endpoint.runner.ModelSignature;
import io.prometheus.client.exporter.common.TextFormat;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The server's HTTP surface as plain Vert.x routes: Open Inference Protocol v2, SageMaker-style
 * {@code /invocations} and {@code /ping}, and {@code /metrics}. It holds the served model from
 * {@link #serve} until {@link #shutdown}.
 */
public final class InferenceRoutes {

  private static final String JSON = "application/json";
  private static final String EXCHANGE = "kiln.exchange";
  private static final String BODY = "kiln.body";

  private final ServerMetrics metrics;
  private final long maxBodyBytes;
  private final AtomicInteger inFlight = new AtomicInteger();
  // Those of inFlight that were admitted (arrived before shutdown began): shutdown waits for them.
  private final AtomicInteger admitted = new AtomicInteger();
  private volatile Served served;
  private volatile String loadFailure;
  private volatile boolean shuttingDown;

  /** The model being served under {@code name}. */
  private record Served(
      String name, ModelSignature signature, ModelRunner runner, Batcher batcher) {}

  /** Per-request bookkeeping. */
  private static final class Exchange {
    final long start = System.nanoTime();
    final String route;
    final boolean prediction;

    /** Accepted for prediction: the model was ready and shutdown had not begun. */
    boolean admitted;

    Batcher announcedTo;

    Exchange(String route, boolean prediction) {
      this.route = route;
      this.prediction = prediction;
    }
  }

  public InferenceRoutes(ServerMetrics metrics, long maxBodyBytes) {
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
    metrics.inFlightFrom(inFlight::get);
  }

  /** Starts serving {@code runner} under {@code name}; the server is ready from now on. */
  public void serve(String name, ModelRunner runner, BatchOptions options) {
    Batcher batcher = new Batcher(runner, options, metrics);
    metrics.queueDepthFrom(batcher::queueDepth);
    served = new Served(name, runner.signature(), runner, batcher);
  }

  /** The model could not be loaded; readiness says why. */
  public void failed(String message) {
    loadFailure = message;
  }

  public boolean ready() {
    return served != null && !shuttingDown;
  }

  /** Prediction requests received and not yet answered. */
  public int inFlight() {
    return inFlight.get();
  }

  /**
   * Graceful shutdown: new prediction requests get 503 while every request already accepted still
   * runs; returns true once all were answered and the model closed, false when the timeout passed.
   */
  public boolean shutdown(Duration timeout) throws InterruptedException {
    shuttingDown = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    // Accepted requests may still be uploading their body: the batcher stays open until they left.
    while (admitted.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    Served s = served;
    if (s == null) {
      return admitted.get() == 0;
    }
    s.batcher().shutdown();
    long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    boolean drained = s.batcher().awaitTermination(left, TimeUnit.MILLISECONDS);
    if (drained) {
      s.runner().close();
    }
    return drained && admitted.get() == 0;
  }

  /** Adds the routes to {@code router}. */
  public void install(Router router) {
    Handler<RoutingContext> failure = this::failure;
    prediction(router.post("/v2/models/:name/infer"), "infer", this::infer, failure);
    prediction(router.post("/invocations"), "invocations", this::invocations, failure);
    plain(router.get("/v2/models/:name/ready"), "model_ready", this::modelReady, failure);
    plain(router.get("/v2/models/:name"), "metadata", this::metadata, failure);
    plain(router.get("/v2/health/live"), "live", ctx -> text(ctx, 200, "live"), failure);
    plain(router.get("/v2/health/ready"), "ready", this::readiness, failure);
    plain(router.get("/v2"), "server_metadata", this::serverMetadata, failure);
    plain(router.get("/ping"), "ping", this::readiness, failure);
    plain(router.get("/metrics"), "metrics", this::scrape, failure);
  }

  private void prediction(
      Route route, String name, Handler<RoutingContext> handler, Handler<RoutingContext> failure) {
    route
        .handler(
            ctx -> {
              begin(ctx, name, true);
              readBody(ctx, handler);
            })
        .failureHandler(failure);
  }

  /**
   * Reads the body up to {@code maxBodyBytes}, then calls {@code handler} (the body is in the
   * context under {@link #BODY}). Hand-rolled rather than Vert.x's BodyHandler so that the batcher
   * hears of the request before its body is read.
   */
  private void readBody(RoutingContext ctx, Handler<RoutingContext> handler) {
    HttpServerRequest request = ctx.request();
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    long declared = -1;
    if (length != null) {
      try {
        declared = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        error(ctx, 400, "bad Content-Length '" + length + "'");
        return;
      }
    }
    if (declared > maxBodyBytes) {
      tooLarge(ctx);
      return;
    }
    if (HttpHeaders.CONTINUE.toString().equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      ctx.response().writeContinue();
    }
    Buffer body = Buffer.buffer(declared > 0 ? (int) declared : 1024);
    boolean[] over = {false};
    request.handler(
        chunk -> {
          if (over[0]) {
            return;
          }
          if (body.length() + chunk.length() > maxBodyBytes) {
            over[0] = true;
            tooLarge(ctx);
          } else {
            body.appendBuffer(chunk);
          }
        });
    request.endHandler(
        v -> {
          if (!over[0]) {
            ctx.put(BODY, body);
            handler.handle(ctx);
          }
        });
    request.exceptionHandler(ctx::fail);
    request.resume();
  }

  private void tooLarge(RoutingContext ctx) {
    withdraw(ctx.get(EXCHANGE));
    // The rest of the body is not read: close the connection after answering.
    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    error(
        ctx,
        413,
        "request body exceeds the limit of "
            + maxBodyBytes
            + " bytes (KILN_MAX_BODY_BYTES); send fewer rows per request");
  }

  private void plain(
      Route route, String name, Handler<RoutingContext> handler, Handler<RoutingContext> failure) {
    route
        .handler(
            ctx -> {
              begin(ctx, name, false);
              handler.handle(ctx);
            })
        .failureHandler(failure);
  }

  private void begin(RoutingContext ctx, String route, boolean prediction) {
    Exchange ex = new Exchange(route, prediction);
    ctx.put(EXCHANGE, ex);
    if (prediction) {
      inFlight.incrementAndGet();
      Served s = served;
      if (s != null && !shuttingDown) {
        ex.admitted = true;
        admitted.incrementAndGet();
        // Tell the batcher a request is on its way while its body is still being read.
        s.batcher().announce();
        ex.announcedTo = s.batcher();
      }
    }
    ctx.addEndHandler(done -> end(ctx, ex));
  }

  private void end(RoutingContext ctx, Exchange ex) {
    withdraw(ex);
    if (ex.prediction) {
      inFlight.decrementAndGet();
    }
    if (ex.admitted) {
      admitted.decrementAndGet();
    }
    int code = ctx.response().getStatusCode();
    metrics.record(ex.route, code, System.nanoTime() - ex.start);
  }

  private static void withdraw(Exchange ex) {
    if (ex.announcedTo != null) {
      ex.announcedTo.withdraw();
      ex.announcedTo = null;
    }
  }

  private void infer(RoutingContext ctx) {
    predict(
        ctx,
        (s, body) -> {
          checkName(ctx, s);
          V2Protocol.InferRequest req = V2Protocol.parseInfer(body, s.signature());
          return new Parsed(
              req.rows(),
              out ->
                  V2Protocol.writeInfer(s.name(), req.id(), s.signature(), out, req.rows().count()),
              JSON);
        });
  }

  private void invocations(RoutingContext ctx) {
    predict(
        ctx,
        (s, body) -> {
          String type = mediaType(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE));
          Rows rows;
          if (type.isEmpty() || type.equals(JSON) || type.endsWith("+json")) {
            rows = SageMakerProtocol.parseJson(body, s.signature());
          } else if (type.equals("text/csv")) {
            rows = SageMakerProtocol.parseCsv(body, s.signature());
          } else {
            throw new BadRequest(
                415,
                "unsupported Content-Type '" + type + "'; expected application/json or text/csv");
          }
          String accept = mediaType(ctx.request().getHeader(HttpHeaders.ACCEPT));
          boolean csv = accept.equals("text/csv");
          int count = rows.count();
          return new Parsed(
              rows,
              out ->
                  csv
                      ? SageMakerProtocol.writeCsv(s.signature(), out, count)
                      : SageMakerProtocol.writeJson(s.signature(), out, count),
              csv ? "text/csv" : JSON);
        });
  }

  /** A parsed prediction request and how to write its answer. */
  private record Parsed(Rows rows, Function<float[], byte[]> writer, String type) {}

  private void predict(RoutingContext ctx, BiFunction<Served, byte[], Parsed> parse) {
    Exchange ex = ctx.get(EXCHANGE);
    Served s = served;
    if (!ex.admitted) {
      unavailable(ctx);
      return;
    }
    Parsed parsed;
    try {
      Buffer body = ctx.get(BODY);
      parsed = parse.apply(s, body.getBytes());
    } catch (BadRequest e) {
      withdraw(ex);
      error(ctx, e.status(), e.getMessage());
      return;
    }
    Context vertxContext = Vertx.currentContext();
    boolean announced = ex.announcedTo == s.batcher();
    ex.announcedTo = null;
    try {
      s.batcher()
          .submit(parsed.rows().values(), parsed.rows().count(), announced)
          .whenComplete(
              (out, err) ->
                  vertxContext.runOnContext(
                      v -> {
                        if (err != null) {
                          error(ctx, 500, "prediction failed: " + err.getMessage());
                        } else {
                          send(ctx, 200, parsed.type(), parsed.writer().apply(out));
                        }
                      }));
    } catch (Rejected e) {
      if (e.reason() == Rejected.Reason.QUEUE_FULL) {
        ctx.response().putHeader("Retry-After", "1");
        error(ctx, 429, e.getMessage());
      } else {
        error(ctx, 503, e.getMessage());
      }
    }
  }

  private static void checkName(RoutingContext ctx, Served s) {
    String name = ctx.pathParam("name");
    if (!s.name().equals(name)) {
      throw new BadRequest(
          404, "model '" + name + "' not found; this server serves '" + s.name() + "'");
    }
  }

  private void metadata(RoutingContext ctx) {
    Served s = served;
    if (s == null) {
      unavailable(ctx);
      return;
    }
    try {
      checkName(ctx, s);
    } catch (BadRequest e) {
      error(ctx, e.status(), e.getMessage());
      return;
    }
    send(ctx, 200, JSON, V2Protocol.writeMetadata(s.name(), s.signature()));
  }

  private void modelReady(RoutingContext ctx) {
    Served s = served;
    if (s != null && !s.name().equals(ctx.pathParam("name"))) {
      error(
          ctx,
          404,
          "model '" + ctx.pathParam("name") + "' not found; this server serves '" + s.name() + "'");
    } else {
      readiness(ctx);
    }
  }

  private void readiness(RoutingContext ctx) {
    if (ready()) {
      text(ctx, 200, "ready");
    } else {
      unavailable(ctx);
    }
  }

  private void serverMetadata(RoutingContext ctx) {
    send(
        ctx,
        200,
        JSON,
        "{\"name\":\"kiln\",\"version\":\"v2\",\"extensions\":[]}"
            .getBytes(StandardCharsets.UTF_8));
  }

  private void scrape(RoutingContext ctx) {
    ctx.response()
        .setStatusCode(200)
        .putHeader(HttpHeaders.CONTENT_TYPE, TextFormat.CONTENT_TYPE_004)
        .end(metrics.scrape());
  }

  private void unavailable(RoutingContext ctx) {
    String why =
        shuttingDown
            ? "the server is shutting down"
            : loadFailure != null
                ? "the model failed to load: " + loadFailure
                : "the model is still loading";
    error(ctx, 503, why);
  }

  /** An unexpected failure in a handler, or the client's connection broke. */
  private void failure(RoutingContext ctx) {
    Exchange ex = ctx.get(EXCHANGE);
    if (ex != null) {
      withdraw(ex);
    }
    if (ctx.response().ended()) {
      return;
    }
    int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    if (ctx.failure() instanceof BadRequest b) {
      error(ctx, b.status(), b.getMessage());
    } else {
      String msg = ctx.failure() == null ? "HTTP " + status : ctx.failure().toString();
      error(ctx, status, status >= 500 ? "internal error: " + msg : msg);
    }
  }

  private static String mediaType(String header) {
    if (header == null) {
      return "";
    }
    int semi = header.indexOf(';');
    return (semi < 0 ? header : header.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
  }

  private static void error(RoutingContext ctx, int status, String message) {
    StringBuilder sb = new StringBuilder(message.length() + 16).append("{\"error\":\"");
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append("\"}");
    send(ctx, status, JSON, sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void text(RoutingContext ctx, int status, String body) {
    send(ctx, status, "text/plain", body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(RoutingContext ctx, int status, String type, byte[] body) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    response
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, type)
        .end(Buffer.buffer(body));
  }
}
