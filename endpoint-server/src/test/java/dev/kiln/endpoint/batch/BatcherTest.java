package dev.kiln.endpoint.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kiln.endpoint.runner.FakeRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatcherTest {

  private static final long AN_HOUR_MICROS = TimeUnit.HOURS.toMicros(1);

  private final FakeRunner runner = new FakeRunner(3);
  private Batcher batcher;

  @AfterEach
  void stop() {
    runner.open();
    if (batcher != null) {
      batcher.close();
    }
  }

  private Batcher batcher(int maxBatch, long maxDelayMicros, int maxQueue) {
    batcher =
        new Batcher(
            runner, new BatchOptions(maxBatch, maxDelayMicros, maxQueue), BatchListener.NONE);
    return batcher;
  }

  private static float[] row(float a, float b, float c) {
    return new float[] {a, b, c};
  }

  private static float[] get(CompletableFuture<float[]> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  @Test
  void loneRequestOnAnEmptyQueueRunsAtOnceEvenWithAHugeMaxDelay() throws Exception {
    batcher(32, AN_HOUR_MICROS, 16);
    float[] out = get(batcher.submit(row(1, 2, 3), 1, false));
    assertThat(out).hasSize(2);
    assertThat(out[0]).isGreaterThan(0.99f);
    assertThat(runner.batchSizes()).containsExactly(1);
  }

  @Test
  void announcedLoneRequestAlsoRunsAtOnce() throws Exception {
    batcher(32, AN_HOUR_MICROS, 16);
    batcher.announce();
    assertThat(get(batcher.submit(row(1, 2, 3), 1, true))).hasSize(2);
  }

  @Test
  void requestsQueuedWhileTheRunnerIsBusyRunAsOneBatch() throws Exception {
    runner.gated();
    batcher(32, 0, 16);
    CompletableFuture<float[]> first = batcher.submit(row(1, 1, 1), 1, false);
    runner.awaitEntered();
    List<CompletableFuture<float[]>> rest = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      rest.add(batcher.submit(row(-i - 1, 0, 0), 1, false));
    }
    runner.open();
    get(first);
    for (CompletableFuture<float[]> f : rest) {
      float[] out = get(f);
      assertThat(out[1]).as("each request gets its own row back").isGreaterThan(0.5f);
    }
    assertThat(runner.batchSizes()).containsExactly(1, 5);
  }

  @Test
  void formingBatchWaitsForAnnouncedRequests() throws Exception {
    batcher(32, AN_HOUR_MICROS, 16);
    batcher.announce();
    batcher.announce();
    CompletableFuture<float[]> first = batcher.submit(row(1, 0, 0), 1, true);
    // The second request is still being read: the batch waits for it rather than running alone.
    await()
        .during(200, TimeUnit.MILLISECONDS)
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> !first.isDone());
    CompletableFuture<float[]> second = batcher.submit(row(2, 0, 0), 1, true);
    get(first);
    get(second);
    assertThat(runner.batchSizes()).containsExactly(2);
  }

  @Test
  void withdrawnAnnouncementReleasesTheFormingBatch() throws Exception {
    batcher(32, AN_HOUR_MICROS, 16);
    batcher.announce();
    batcher.announce();
    CompletableFuture<float[]> first = batcher.submit(row(1, 0, 0), 1, true);
    batcher.withdraw();
    get(first);
    assertThat(runner.batchSizes()).containsExactly(1);
  }

  @Test
  void batchingOffRunsEveryRequestAlone() throws Exception {
    runner.gated();
    batcher(1, 0, 16);
    List<CompletableFuture<float[]>> all = new ArrayList<>();
    all.add(batcher.submit(row(1, 1, 1), 1, false));
    runner.awaitEntered();
    for (int i = 0; i < 3; i++) {
      all.add(batcher.submit(row(1, 1, 1), 1, false));
    }
    runner.open();
    for (CompletableFuture<float[]> f : all) {
      get(f);
    }
    assertThat(runner.batchSizes()).containsExactly(1, 1, 1, 1);
  }

  @Test
  void maxBatchSizeCapsRowsPerBatchButAWholeRequestStaysTogether() throws Exception {
    runner.gated();
    batcher(2, 0, 16);
    List<CompletableFuture<float[]>> all = new ArrayList<>();
    all.add(batcher.submit(row(1, 1, 1), 1, false));
    runner.awaitEntered();
    for (int i = 0; i < 3; i++) {
      all.add(batcher.submit(row(1, 1, 1), 1, false));
    }
    float[] three = new float[9];
    CompletableFuture<float[]> big = batcher.submit(three, 3, false);
    runner.open();
    for (CompletableFuture<float[]> f : all) {
      get(f);
    }
    assertThat(get(big)).hasSize(6);
    assertThat(runner.batchSizes()).containsExactly(1, 2, 1, 3);
  }

  @Test
  void fullQueueRefusesInsteadOfGrowing() throws Exception {
    runner.gated();
    batcher(1, 0, 2);
    batcher.submit(row(1, 1, 1), 1, false);
    runner.awaitEntered();
    batcher.submit(row(1, 1, 1), 1, false);
    batcher.submit(row(1, 1, 1), 1, false);
    assertThat(batcher.queueDepth()).isEqualTo(2);
    assertThatThrownBy(() -> batcher.submit(row(1, 1, 1), 1, false))
        .isInstanceOfSatisfying(
            Rejected.class, r -> assertThat(r.reason()).isEqualTo(Rejected.Reason.QUEUE_FULL))
        .hasMessageContaining("overloaded");
  }

  @Test
  void shutdownRunsQueuedRequestsAndRefusesNewOnes() throws Exception {
    runner.gated();
    batcher(32, 0, 16);
    CompletableFuture<float[]> running = batcher.submit(row(1, 1, 1), 1, false);
    runner.awaitEntered();
    CompletableFuture<float[]> queued = batcher.submit(row(1, 1, 1), 1, false);
    batcher.shutdown();
    assertThatThrownBy(() -> batcher.submit(row(1, 1, 1), 1, false))
        .isInstanceOfSatisfying(
            Rejected.class, r -> assertThat(r.reason()).isEqualTo(Rejected.Reason.SHUTTING_DOWN));
    runner.open();
    assertThat(batcher.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    assertThat(running).isCompleted();
    assertThat(queued).isCompleted();
    assertThat(get(queued)).hasSize(2);
  }

  @Test
  void runnerFailureFailsItsBatchAndTheNextBatchStillRuns() throws Exception {
    batcher(32, 0, 16);
    runner.failWith(new IllegalStateException("boom"));
    CompletableFuture<float[]> failed = batcher.submit(row(1, 1, 1), 1, false);
    assertThatThrownBy(() -> get(failed))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("boom");
    runner.failWith(null);
    assertThat(get(batcher.submit(row(1, 1, 1), 1, false))).hasSize(2);
  }

  @Test
  void refusesFewerValuesThanRows() {
    batcher(32, 0, 16);
    assertThatThrownBy(() -> batcher.submit(new float[5], 2, false))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
