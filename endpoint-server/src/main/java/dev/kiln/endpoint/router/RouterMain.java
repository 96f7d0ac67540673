package dev.kiln.endpoint.router;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.Map;

/**
 * The router's main: {@code java -cp <endpoint-server's classpath>
 * dev.kiln.endpoint.router.RouterMain}. Environment: {@code KILN_ROUTER_HOST} (default {@code
 * 0.0.0.0}), {@code KILN_ROUTER_PORT} (default 8080), {@code KILN_ROUTER_TOKEN} (optional: guards
 * the admin API). SIGTERM lets the requests in flight finish (up to 30 s) before it exits.
 */
public final class RouterMain {
  private RouterMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    String host = env.getOrDefault("KILN_ROUTER_HOST", "0.0.0.0");
    int port;
    try {
      port = Integer.parseInt(env.getOrDefault("KILN_ROUTER_PORT", "8080"));
    } catch (NumberFormatException e) {
      System.err.println("KILN_ROUTER_PORT must be a port number, got " + e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    RouterServer router = new RouterServer(vertx, env.get("KILN_ROUTER_TOKEN"));
    int bound;
    try {
      bound = router.listen(host, port).toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      System.err.println("cannot listen on " + host + ":" + port + ": " + e.getMessage());
      System.exit(1);
      return;
    }
    System.out.println("kiln router listening on " + host + ":" + bound);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                  while (router.inFlight() > 0 && System.nanoTime() < deadline) {
                    try {
                      Thread.sleep(20);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                  router.close();
                  vertx.close();
                }));
  }
}
