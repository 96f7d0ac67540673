package dev.kiln.worker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.model.compute.cuda.CudaBackendProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code kiln bench train --backend cuda} as a child JVM: without a GPU it fails, naming why. */
class TrainBenchIT {

  @Test
  void cudaWithoutAGpuFailsWithTheReasonAndNoNumbers() throws Exception {
    String why = new CudaBackendProvider().unavailableReason();
    Assumptions.assumeFalse(why.isEmpty(), "a GPU is present: run-on-gpu.sh benchmarks it");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                TrainBench.class.getName(),
                "--backend",
                "cuda",
                "--seconds",
                "1")
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(err).contains("kiln bench train: compute backend 'cuda' is not available: " + why);
    List<String> lines = out.lines().toList();
    JsonNode last = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertThat(last.path("error").asText()).contains(why);
    assertThat(last.has("samples_per_sec")).isFalse();
  }
}
