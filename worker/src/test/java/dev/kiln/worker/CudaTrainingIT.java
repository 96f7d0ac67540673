package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.model.compute.cuda.CudaBackendProvider;
import dev.kiln.model.io.SafeTensors;
import dev.kiln.worker.nccl.NcclProvider;
import dev.kiln.worker.testing.Ranks;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rank processes choosing and using the GPU path: forced cuda without a GPU fails with exit code 2
 * (runs everywhere); with a GPU, two cuda ranks all-reduce over the TCP ring and land where two cpu
 * ranks land, and one rank trains with cuda + NCCL (skipped, reason printed, without a GPU).
 */
class CudaTrainingIT {
  static final String SGD = "{\"type\": \"sgd\", \"learningRate\": 0.05, \"momentum\": 0.9}";
  private static final String CUDA = new CudaBackendProvider().unavailableReason();
  @TempDir static Path dir;

  @BeforeAll
  static void data() throws Exception {
    String csv;
    try (InputStream in = CudaTrainingIT.class.getResourceAsStream("/data/digits-400.csv")) {
      csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String[] lines = csv.split("\n");
    StringBuilder train = new StringBuilder(lines[0]).append('\n');
    StringBuilder val = new StringBuilder(lines[0]).append('\n');
    for (int i = 1; i < lines.length; i++) {
      (i <= 320 ? train : val).append(lines[i]).append('\n');
    }
    Files.writeString(dir.resolve("train.csv"), train);
    Files.writeString(dir.resolve("validation.csv"), val);
  }

  /** A 64-32-10 MLP with dropout over the digits files, writing to {@code <dir>/<name>/}. */
  private static Path spec(String name, int epochs) throws Exception {
    String json =
        """
        {"algorithm": {
           "model": {"layers": [{"dense": 32, "activation": "relu"}, {"dropout": 0.1},
                                {"dense": 10, "activation": "softmax"}]},
           "loss": "cross_entropy", "optimizer": %s, "schedule": {"type": "cosine"},
           "epochs": %d, "batchSize": 16, "seed": 7},
         "inputs": {"train": {"uri": "%s", "format": "csv", "label": "label"},
                    "validation": {"uri": "%s"}},
         "output": {"uri": "%s"}}
        """
            .formatted(
                SGD,
                epochs,
                dir.resolve("train.csv").toUri(),
                dir.resolve("validation.csv").toUri(),
                dir.resolve(name).toUri());
    Path p = dir.resolve(name + ".json");
    Files.writeString(p, json);
    return p;
  }

  private static void needGpu() {
    if (!CUDA.isEmpty()) {
      System.out.println("CudaTrainingIT GPU case skipped: " + CUDA);
    }
    Assumptions.assumeTrue(CUDA.isEmpty(), () -> "no GPU here: " + CUDA);
  }

  @Test
  void forcingCudaWithoutAGpuEndsTheRankWithTheReasonAndExitCode2() throws Exception {
    Assumptions.assumeFalse(CUDA.isEmpty(), "a GPU is present");
    Map<String, String> env = Map.of("KILN_COMPUTE_BACKEND", "cuda");
    try (Ranks r = Ranks.start(1, "forced", 1, spec("forced", 1), dir, env)) {
      assertThat(r.await(60)).as(r.logs()).containsOnly(2);
      assertThat(r.log(0))
          .contains("kiln worker: error: KILN_COMPUTE_BACKEND=cuda asks for the cuda backend")
          .contains(CUDA);
    }
  }

  @Test
  void twoCudaRanksAllReduceOverTheTcpRingAndMatchTwoCpuRanks() throws Exception {
    needGpu();
    Map<String, String> cuda =
        Map.of("KILN_COMPUTE_BACKEND", "cuda", "KILN_COLLECTIVE_BACKEND", "tcp");
    try (Ranks r = Ranks.start(2, "cuda-ring", 1, spec("cuda-ring", 2), dir, cuda)) {
      assertThat(r.await(300)).as(r.logs()).containsOnly(0);
      assertThat(r.log(0)).contains("backend compute=cuda").contains("collective=tcp");
    }
    try (Ranks r = Ranks.start(2, "cpu-ring", 1, spec("cpu-ring", 2), dir, Map.of())) {
      assertThat(r.await(300)).as(r.logs()).containsOnly(0);
    }
    float[] gpu = weights("cuda-ring");
    float[] cpu = weights("cpu-ring");
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < cpu.length; i++) {
      diff = Math.max(diff, Math.abs(gpu[i] - cpu[i]));
      norm = Math.max(norm, Math.abs(cpu[i]));
    }
    System.out.printf("2-rank cuda vs cpu weights: relative error %.3g%n", diff / norm);
    assertThat(diff / norm).isLessThan(1e-3);
  }

  @Test
  void oneRankTrainsWithCudaAndNccl() throws Exception {
    needGpu();
    String nccl = new NcclProvider().unavailableReason();
    Assumptions.assumeTrue(nccl.isEmpty(), () -> "no NCCL here: " + nccl);
    Map<String, String> auto = Map.of("KILN_COMPUTE_BACKEND", "");
    try (Ranks r = Ranks.start(1, "nccl", 1, spec("nccl", 1), dir, auto)) {
      assertThat(r.await(300)).as(r.logs()).containsOnly(0);
      assertThat(r.log(0)).contains("backend compute=cuda device=0 collective=nccl");
    }
  }

  private static float[] weights(String name) throws Exception {
    byte[] file = Files.readAllBytes(dir.resolve(name).resolve("model/weights.safetensors"));
    float[] all = new float[0];
    for (SafeTensors.Tensor t : SafeTensors.decode(file).tensors().values()) {
      float[] v = t.data();
      float[] next = java.util.Arrays.copyOf(all, all.length + v.length);
      System.arraycopy(v, 0, next, all.length, v.length);
      all = next;
    }
    return all;
  }
}
