package dev.kiln.worker.collective;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Test fixture: runs a gang of ranks as threads of this JVM, over real sockets. */
final class Gang {
  private Gang() {}

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static CollectiveConfig config(int rank, int n, int port, int chunkBytes) {
    return new CollectiveConfig(
        "uid-test",
        1,
        rank,
        n,
        "127.0.0.1",
        port,
        Duration.ofSeconds(30),
        Duration.ofSeconds(30),
        chunkBytes);
  }

  /**
   * Opens a collective per rank on its own thread, applies {@code body}, closes; results by rank.
   */
  static <T> List<T> run(String backend, int n, int chunkBytes, Function<Collective, T> body)
      throws Exception {
    int port = freePort();
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        CollectiveConfig c = config(r, n, port, chunkBytes);
        futures.add(
            pool.submit(
                () -> {
                  try (Collective coll = Collectives.open(backend, c)) {
                    return body.apply(coll);
                  }
                }));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get(60, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
