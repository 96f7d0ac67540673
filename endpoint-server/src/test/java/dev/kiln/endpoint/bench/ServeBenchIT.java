package dev.kiln.endpoint.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code kiln bench serve} exactly as the CLI launches it, briefly. */
class ServeBenchIT {

  private record Run(int code, String stdout, String stderr) {}

  private static Run bench(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add("target/classes" + File.pathSeparator + "target/lib/*");
    cmd.add(ServeBench.class.getName());
    cmd.addAll(List.of(args));
    // stderr to a file, so that neither pipe can fill up while the other is read.
    Path err = Files.createTempFile("serve-bench-", ".err");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    String stderr = Files.readString(err);
    Files.delete(err);
    return new Run(p.exitValue(), out, stderr);
  }

  @Test
  void printsOneJsonObjectOnTheLastLine() throws Exception {
    Run run =
        bench(
            "--concurrency",
            "4",
            "--seconds",
            "1",
            "--warmup-seconds",
            "0.5",
            "--inprocess-seconds",
            "0.5",
            "--batching",
            "on");
    assertThat(run.code()).as(run.stderr()).isZero();
    String[] lines = run.stdout().strip().split("\n");
    JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
    assertThat(json.get("concurrency").asInt()).isEqualTo(4);
    assertThat(json.get("batching").asText()).isEqualTo("on");
    assertThat(json.get("errors").asLong()).isZero();
    assertThat(json.get("requests").asLong()).isPositive();
    assertThat(json.get("throughput_rps").asDouble()).isPositive();
    assertThat(json.get("p50_us").asDouble()).isPositive();
    assertThat(json.get("p99_us").asDouble()).isGreaterThanOrEqualTo(json.get("p50_us").asDouble());
    assertThat(json.get("inprocess_p50_us").asDouble()).isPositive();
    assertThat(json.get("cold_start_ms").asDouble()).isPositive();
    assertThat(json.get("platform").asText()).isEqualTo("kiln");
    assertThat(run.stderr()).contains("MLP 784-512-256-10");
  }

  @Test
  void benchesTheArtifactsOnnxFileWithBatchingOff() throws Exception {
    // Also guards the child JVMs' command lines: ONNX Runtime crashes when they get long.
    Run run =
        bench(
            "--concurrency",
            "2",
            "--seconds",
            "1",
            "--warmup-seconds",
            "0.5",
            "--inprocess-seconds",
            "0.5",
            "--batching",
            "off",
            "--format",
            "onnx");
    assertThat(run.code()).as(run.stderr()).isZero();
    String[] lines = run.stdout().strip().split("\n");
    JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
    assertThat(json.get("platform").asText()).isEqualTo("onnxruntime");
    assertThat(json.get("batching").asText()).isEqualTo("off");
    assertThat(json.get("mean_batch_size").asDouble()).isEqualTo(1.0);
    assertThat(json.get("errors").asLong()).isZero();
  }

  @Test
  void badUsageExitsWith2() throws Exception {
    Run run = bench("--concurrency", "4", "--seconds", "1", "--batching", "maybe");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.stderr()).contains("--batching must be on or off").contains("usage: ServeBench");
    assertThat(bench("--seconds", "1").stderr()).contains("--concurrency is required");
  }
}
