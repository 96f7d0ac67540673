package dev.kiln.worker.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Both backends over real sockets and shared memory, ranks as threads of this JVM. */
class CollectiveIT {

  private static float[] input(int rank, int len) {
    Random rnd = new Random(1000 + rank);
    float[] a = new float[len];
    for (int i = 0; i < len; i++) {
      a[i] = (float) rnd.nextGaussian();
    }
    return a;
  }

  @ParameterizedTest
  @CsvSource({
    "tcp,1,1000",
    "tcp,2,1",
    "tcp,2,100003",
    "tcp,3,7",
    "tcp,3,50000",
    "tcp,4,3",
    "tcp,4,262147",
    "shm,1,10",
    "shm,2,1",
    "shm,2,100003",
    "shm,3,50000",
    "shm,4,3",
    "shm,4,262147"
  })
  void allReduceSumsEveryRanksArrayAndLeavesTheSameBitsEverywhere(String backend, int n, int len)
      throws Exception {
    List<float[]> out =
        Gang.run(
            backend,
            n,
            4096,
            c -> {
              float[] a = input(c.rank(), len);
              c.allReduce(a, ReduceOp.SUM);
              return a;
            });
    double[] expected = new double[len];
    for (int r = 0; r < n; r++) {
      float[] a = input(r, len);
      for (int i = 0; i < len; i++) {
        expected[i] += a[i];
      }
    }
    for (int r = 0; r < n; r++) {
      assertThat(out.get(r)).isEqualTo(out.get(0));
    }
    for (int i = 0; i < len; i++) {
      assertThat((double) out.get(0)[i])
          .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-4));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "shm"})
  void averageDividesTheSumByTheRankCount(String backend) throws Exception {
    List<float[]> out =
        Gang.run(
            backend,
            4,
            4096,
            c -> {
              float[] a = new float[10_000];
              java.util.Arrays.fill(a, c.rank() + 1);
              c.allReduce(a, ReduceOp.AVG);
              return a;
            });
    for (float[] a : out) {
      for (float v : a) {
        assertThat(v).isEqualTo(2.5f);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "shm"})
  void repeatedRunsGiveBitIdenticalResults(String backend) throws Exception {
    int len = 77_777;
    List<float[]> first = reduceRepeatedly(backend, len);
    List<float[]> second = reduceRepeatedly(backend, len);
    assertThat(second.get(0)).isEqualTo(first.get(0));
  }

  private static List<float[]> reduceRepeatedly(String backend, int len) throws Exception {
    return Gang.run(
        backend,
        3,
        8192,
        c -> {
          float[] a = input(c.rank(), len);
          for (int k = 0; k < 5; k++) {
            c.allReduce(a, ReduceOp.AVG);
            for (int i = 0; i < len; i++) {
              a[i] = a[i] * 1.3f + 0.1f * c.rank();
            }
          }
          return a;
        });
  }

  @Test
  void ringSendsTwoTimesNMinusOneOverNOfTheArrayPerRank() throws Exception {
    int n = 4;
    int len = 1 << 20; // 4 MiB
    List<Long> sent =
        Gang.run(
            "tcp",
            n,
            64 * 1024,
            c -> {
              long before = c.bytesSent();
              c.allReduce(new float[len], ReduceOp.SUM);
              return c.bytesSent() - before;
            });
    double expected = 2.0 * (n - 1) / n * len * Float.BYTES;
    for (long s : sent) {
      // A star would have rank 0 send (N-1) x size and the others 1 x size.
      assertThat((double) s)
          .isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(1));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "shm"})
  void broadcastCopiesTheRootsArrayToEveryRank(String backend) throws Exception {
    int len = 30_001;
    List<float[]> out =
        Gang.run(
            backend,
            3,
            4096,
            c -> {
              float[] a = input(c.rank(), len);
              c.broadcast(a, 2);
              c.barrier();
              return a;
            });
    for (float[] a : out) {
      assertThat(a).isEqualTo(input(2, len));
    }
  }

  @Test
  void rankZeroRefusesAPeerOfAnotherAttemptAndKeepsWaitingForTheRightOne() throws Exception {
    int port = Gang.freePort();
    CompletableFuture<float[]> rank0 =
        CompletableFuture.supplyAsync(
            () -> {
              try (Collective c = Collectives.open("tcp", Gang.config(0, 2, port, 4096))) {
                float[] a = {1f};
                c.allReduce(a, ReduceOp.SUM);
                return a;
              }
            });
    CollectiveConfig stale =
        new CollectiveConfig(
            "uid-test",
            0,
            1,
            2,
            "127.0.0.1",
            port,
            java.time.Duration.ofSeconds(10),
            java.time.Duration.ofSeconds(10),
            4096);
    assertThatThrownBy(() -> Collectives.open("tcp", stale))
        .isInstanceOf(CollectiveException.class)
        .hasMessageContaining("refused rank 1")
        .hasMessageContaining("attempt 0 but rank 0 is from attempt 1")
        .hasMessageContaining("stale rank of an earlier attempt");
    try (Collective c = Collectives.open("tcp", Gang.config(1, 2, port, 4096))) {
      float[] a = {2f};
      c.allReduce(a, ReduceOp.SUM);
      assertThat(a[0]).isEqualTo(3f);
    }
    assertThat(rank0.get(30, TimeUnit.SECONDS)[0]).isEqualTo(3f);
  }

  @Test
  void rendezvousTimesOutNamingTheRanksThatNeverJoined() {
    CollectiveConfig c =
        new CollectiveConfig(
            "u",
            1,
            0,
            3,
            "127.0.0.1",
            Gang.freePort(),
            java.time.Duration.ofSeconds(5),
            java.time.Duration.ofMillis(500),
            4096);
    assertThatThrownBy(() -> Collectives.open("tcp", c))
        .isInstanceOf(CollectiveException.class)
        .hasMessageContaining("ranks [1, 2] never joined");
  }

  @Test
  void unknownBackendNamesTheKnownOnes() {
    assertThatThrownBy(() -> Collectives.provider("carrier-pigeon"))
        .hasMessageContaining("unknown collective backend 'carrier-pigeon'")
        .hasMessageContaining("tcp")
        .hasMessageContaining("shm");
  }
}
