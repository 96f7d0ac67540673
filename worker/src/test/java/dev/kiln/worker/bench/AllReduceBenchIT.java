package dev.kiln.worker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code kiln bench allreduce} as the CLI launches it: its last stdout line is the result. */
class AllReduceBenchIT {

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "shm"})
  void printsOneJsonObjectOnTheLastLine(String backend) throws Exception {
    String cp = Path.of("target", "classes") + File.pathSeparator + Path.of("target", "lib") + "/*";
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                cp,
                AllReduceBench.class.getName(),
                "--ranks",
                "2",
                "--size",
                "1MB",
                "--backend",
                backend,
                "--iters",
                "5")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      List<String> lines = out.lines().toList();
      JsonNode r = new ObjectMapper().readTree(lines.get(lines.size() - 1));
      assertThat(r.path("backend").asText()).isEqualTo(backend);
      assertThat(r.path("ranks").asInt()).isEqualTo(2);
      assertThat(r.path("size_bytes").asLong()).isEqualTo(1 << 20);
      assertThat(r.path("median_ms").asDouble()).isPositive();
      // busbw = size * 2(N-1)/N / median, in 10^9 bytes/s
      double expected =
          (1 << 20) * 2.0 * (2 - 1) / 2 / (r.path("median_ms").asDouble() / 1e3) / 1e9;
      assertThat(r.path("busbw_gbps").asDouble())
          .isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(1));
    } finally {
      p.destroyForcibly();
    }
  }
}
