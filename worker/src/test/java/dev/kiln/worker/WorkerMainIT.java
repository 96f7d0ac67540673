package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.grpc.ReportMetricsRequest;
import dev.kiln.grpc.ReportMetricsResponse;
import dev.kiln.worker.testing.FakeControlPlane;
import dev.kiln.worker.testing.Ranks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rank processes against a real gRPC control plane and S3: reporting, early stop, bad data. */
class WorkerMainIT {
  static final String SGD = "{\"type\": \"sgd\", \"learningRate\": 0.05, \"momentum\": 0.9}";
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

  @Test
  void rankZeroReportsEachEpochRetriesUntilAcknowledgedAndStopsWhenTold() throws Exception {
    String out = "s3://models/report/";
    AtomicInteger calls = new AtomicInteger();
    try (FakeControlPlane cp = new FakeControlPlane("secret-token")) {
      cp.answer(
          req -> {
            if (req.getEpoch() == 1 && calls.incrementAndGet() == 1) {
              return null; // UNAVAILABLE once: the worker must retry
            }
            return ReportMetricsResponse.newBuilder()
                .setAcknowledged(true)
                .setStop(req.getEpoch() == 2)
                .setReason(req.getEpoch() == 2 ? "EarlyStopped: below the ASHA rung" : "")
                .build();
          });
      Map<String, String> env =
          f.env(Map.of("KILN_CONTROL_PLANE", cp.target(), "KILN_TOKEN", "secret-token"));
      try (Ranks r = Ranks.start(2, "report", 3, f.spec("report", out, 6, 16, SGD), dir, env)) {
        TrainingFixture.assertSucceeded(r.await(120), r.logs());
        assertThat(r.log(0))
            .containsPattern(
                "epoch=2/6 step=10/10 loss=[0-9.]+ accuracy=[0-9.]+ val_loss=[0-9.]+"
                    + " val_accuracy=[0-9.]+ samples_per_sec=[0-9]+ eta_s=[0-9]+")
            .contains("stopping early after epoch 2")
            .doesNotContain("epoch=3/6");
      }
      assertThat(cp.reports).extracting(ReportMetricsRequest::getEpoch).containsExactly(1, 2);
      ReportMetricsRequest first = cp.reports.get(0);
      assertThat(first.getJobUid()).isEqualTo("report");
      assertThat(first.getAttempt()).isEqualTo(3);
      assertThat(first.getValuesMap())
          .containsKeys("loss", "accuracy", "val_loss", "val_accuracy", "samples_per_sec");
      assertThat(calls.get()).isGreaterThanOrEqualTo(2);
    }
    assertThat(f.store.exists(out + "checkpoints/report/epoch-000002/manifest.json")).isTrue();
    String modelJson = new String(f.store.read(out + "model/model.json"), StandardCharsets.UTF_8);
    assertThat(modelJson).contains("\"val_accuracy\"").contains("\"uid\" : \"report\"");
    assertThat(f.store.exists(out + "model/model.onnx")).isTrue();
  }

  @Test
  void badDataEndsEveryRankWithTheReasonAndExitCode2() throws Exception {
    f.store.write(
        "s3://datasets/ragged/train.csv",
        "a,b,label\n1,2,0\n3,4\n".getBytes(StandardCharsets.UTF_8));
    String spec =
        """
        {"algorithm": {"model": {"layers": [{"dense": 2, "activation": "softmax"}]},
                       "loss": "cross_entropy", "epochs": 1, "batchSize": 4},
         "inputs": {"train": {"uri": "s3://datasets/ragged/train.csv"}},
         "output": {"uri": "s3://models/ragged/"}}
        """;
    Path p = dir.resolve("ragged.json");
    java.nio.file.Files.writeString(p, spec);
    try (Ranks r = Ranks.start(2, "ragged", 1, p, dir, f.env(Map.of()))) {
      int[] codes = r.await(60);
      assertThat(codes).as(r.logs()).containsOnly(2);
      assertThat(r.log(0))
          .contains(
              "kiln worker: error: s3://datasets/ragged/train.csv line 3: 2 fields, but the"
                  + " header has 3 columns");
    }
  }

  @Test
  void unknownHyperparameterIsAUserError() throws Exception {
    String spec =
        """
        {"algorithm": {"model": {"layers": [{"dense": 2, "activation": "softmax"}]},
                       "loss": "cross_entropy"},
         "hyperparameters": {"optimizer.learningrate": "0.1"},
         "inputs": {"train": {"uri": "s3://datasets/digits/train.csv"}},
         "output": {"uri": "s3://models/hp/"}}
        """;
    Path p = dir.resolve("hp.json");
    java.nio.file.Files.writeString(p, spec);
    try (Ranks r = Ranks.start(1, "hp", 1, p, dir, f.env(Map.of()))) {
      assertThat(r.await(60)).as(r.logs()).containsOnly(2);
      assertThat(r.log(0)).contains("unknown hyperparameter 'optimizer.learningrate'");
    }
  }
}
