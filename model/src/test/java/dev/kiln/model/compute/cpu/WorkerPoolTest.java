package dev.kiln.model.compute.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

  @Test
  void runsEveryPartExactlyOnceOnAtMostTheThreadCap() {
    try (WorkerPool pool = new WorkerPool(3, "t")) {
      for (int round = 0; round < 200; round++) {
        AtomicIntegerArray seen = new AtomicIntegerArray(17);
        ConcurrentHashMap<Thread, Boolean> threads = new ConcurrentHashMap<>();
        pool.run(
            17,
            p -> {
              seen.incrementAndGet(p);
              threads.put(Thread.currentThread(), true);
            });
        for (int p = 0; p < 17; p++) {
          assertThat(seen.get(p)).isEqualTo(1);
        }
        assertThat(threads.size()).isLessThanOrEqualTo(3);
      }
    }
  }

  @Test
  void rethrowsAFailingPartAfterTheOthersFinish() {
    try (WorkerPool pool = new WorkerPool(2, "t")) {
      assertThatThrownBy(
              () ->
                  pool.run(
                      8,
                      p -> {
                        if (p == 5) {
                          throw new IllegalStateException("part 5 failed");
                        }
                      }))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("part 5 failed");
      AtomicIntegerArray seen = new AtomicIntegerArray(4);
      pool.run(4, seen::incrementAndGet);
      assertThat(seen.get(3)).isEqualTo(1);
    }
  }

  @Test
  void concurrentCallersEachGetAllTheirParts() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try (WorkerPool pool = new WorkerPool(2, "t")) {
      Future<?>[] futures = new Future<?>[4];
      for (int c = 0; c < 4; c++) {
        futures[c] =
            callers.submit(
                () -> {
                  for (int round = 0; round < 100; round++) {
                    AtomicIntegerArray seen = new AtomicIntegerArray(9);
                    pool.run(9, seen::incrementAndGet);
                    for (int p = 0; p < 9; p++) {
                      assertThat(seen.get(p)).isEqualTo(1);
                    }
                  }
                });
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      callers.shutdown();
    }
  }
}
