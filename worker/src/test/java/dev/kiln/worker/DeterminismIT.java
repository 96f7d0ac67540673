package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.grpc.ReportMetricsResponse;
import dev.kiln.worker.testing.FakeControlPlane;
import dev.kiln.worker.testing.Ranks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deterministic: true}: two runs give bit-identical weights, and so does a run whose rank is
 * killed with SIGKILL mid-training and whose ranks are restarted (resuming from a checkpoint).
 */
class DeterminismIT {
  static final String ADAM = "{\"type\": \"adam\", \"learningRate\": 0.003}";
  @TempDir static Path dir;
  static TrainingFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new TrainingFixture(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  private byte[] train(String uid) throws Exception {
    String out = "s3://models/" + uid + "/";
    try (Ranks r = Ranks.start(2, uid, 1, f.spec(uid, out, 4, 16, ADAM), dir, f.env(Map.of()))) {
      TrainingFixture.assertSucceeded(r.await(120), r.logs());
    }
    return f.weights(out);
  }

  @Test
  void twoRunsAndAKilledAndResumedRunGiveBitIdenticalWeights() throws Exception {
    String first = sha256(train("det-a"));
    String second = sha256(train("det-b"));
    assertThat(second).as("weights of a second identical run").isEqualTo(first);
    assertThat(sha256(killedAndResumed("det-kill")))
        .as("weights of a resumed run")
        .isEqualTo(first);
  }

  private byte[] killedAndResumed(String uid) throws Exception {
    String out = "s3://models/" + uid + "/";
    Path spec = f.spec(uid, out, 4, 16, ADAM);
    CountDownLatch release = new CountDownLatch(1);
    try (FakeControlPlane cp = new FakeControlPlane("tok")) {
      // Hold rank 0's report of epoch 3 (checkpoint of epoch 2 is committed by then) while the
      // test kills rank 1: the kill lands in the middle of training, in a collective wait.
      cp.answer(
          req -> {
            if (req.getEpoch() == 3 && req.getAttempt() == 1) {
              await(release);
            }
            return ReportMetricsResponse.newBuilder().setAcknowledged(true).build();
          });
      Map<String, String> env =
          f.env(Map.of("KILN_CONTROL_PLANE", cp.target(), "KILN_TOKEN", "tok"));
      try (Ranks r = Ranks.start(2, uid, 1, spec, dir, env)) {
        Awaitility.await("rank 0 reports epoch 3")
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(20))
            .untilAsserted(() -> assertThat(r.log(0)).contains("epoch=3/4"));
        r.process(1).destroyForcibly(); // SIGKILL
        int[] codes = r.await(60);
        release.countDown();
        assertThat(codes[0]).as(r.logs()).isEqualTo(1);
        assertThat(r.log(0))
            .containsPattern("rank 1 \\(127.0.0.1:[0-9]+\\) exited or lost its connection");
      }
      try (Ranks r = Ranks.start(2, uid, 2, spec, dir, env)) {
        TrainingFixture.assertSucceeded(r.await(120), r.logs());
        assertThat(r.log(0)).contains("resumed from checkpoint epoch=2").contains("epoch=4/4");
        assertThat(r.log(0)).doesNotContain("epoch=2/4");
      }
    }
    return f.weights(out);
  }

  /**
   * A digest of the weights' bits, tensor by tensor in name order. (Not of the file: its header's
   * metadata order is not part of the weights.)
   */
  private static String sha256(byte[] safetensors) throws Exception {
    java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
    var tensors = new java.util.TreeMap<>(TrainingFixture.tensors(safetensors));
    for (var e : tensors.entrySet()) {
      md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      for (float v : e.getValue().data()) {
        int bits = Float.floatToRawIntBits(v);
        md.update(
            new byte[] {(byte) bits, (byte) (bits >> 8), (byte) (bits >> 16), (byte) (bits >> 24)});
      }
    }
    return java.util.HexFormat.of().formatHex(md.digest());
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
