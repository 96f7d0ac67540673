package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.model.io.SafeTensors;
import dev.kiln.worker.testing.Ranks;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** N ranks x batch b train the same model as 1 rank x batch N*b: real processes and sockets. */
class DataParallelIT {
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
  void twoRanksOfBatch16MatchOneRankOfBatch32() throws Exception {
    String sgd = "{\"type\": \"sgd\", \"learningRate\": 0.05, \"momentum\": 0.9}";
    String two = "s3://models/eq-two/";
    String one = "s3://models/eq-one/";
    try (Ranks r =
        Ranks.start(2, "eq-two", 1, f.spec("two", two, 3, 16, sgd), dir, f.env(Map.of()))) {
      TrainingFixture.assertSucceeded(r.await(120), r.logs());
      assertThat(r.log(0)).contains("epoch=3/3 step=10/10").contains("model uri=" + two + "model/");
    }
    try (Ranks r =
        Ranks.start(1, "eq-one", 1, f.spec("one", one, 3, 32, sgd), dir, f.env(Map.of()))) {
      TrainingFixture.assertSucceeded(r.await(120), r.logs());
    }
    Map<String, SafeTensors.Tensor> a = TrainingFixture.tensors(f.weights(two));
    Map<String, SafeTensors.Tensor> b = TrainingFixture.tensors(f.weights(one));
    assertThat(a.keySet()).isEqualTo(b.keySet());
    double diff = 0;
    double norm = 0;
    for (String k : a.keySet()) {
      float[] x = a.get(k).data();
      float[] y = b.get(k).data();
      for (int i = 0; i < x.length; i++) {
        diff += (double) (x[i] - y[i]) * (x[i] - y[i]);
        norm += (double) x[i] * x[i];
      }
    }
    System.out.println("2x16 vs 1x32 relative weight difference: " + Math.sqrt(diff / norm));
    // 30 steps of SGD with momentum; only the order of float sums differs between the two runs.
    assertThat(Math.sqrt(diff / norm)).isLessThan(1e-5);
  }
}
