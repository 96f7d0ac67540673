package dev.kiln.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.cli.ExitCodes;
import dev.kiln.cli.KilnRunner;
import dev.kiln.cli.KilnRunner.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarksTest {
  @TempDir Path home;

  @Test
  void standardTableHasTheBenchmarksOfTheDesign() {
    Benchmarks table = Benchmarks.standard();

    assertThat(table.names())
        .containsExactly("train", "allreduce", "tuner", "serve", "scheduler", "controlplane");
    Benchmark train = table.find("train").orElseThrow();
    assertThat(train.module()).isEqualTo("worker");
    assertThat(train.mainClass()).isEqualTo("dev.kiln.worker.bench.TrainBench");
    assertThat(train.classpath()).containsExactly("worker/target/classes", "worker/target/lib/*");
    assertThat(train.jvmArgs()).containsExactly("--add-modules", "jdk.incubator.vector");
    assertThat(table.find("controlplane").orElseThrow().classpath())
        .containsExactly(
            "control-plane/target/classes",
            "control-plane/target/test-classes",
            "control-plane/target/bench-lib/*");
    assertThat(table.find("serve").orElseThrow().module()).isEqualTo("endpoint-server");
  }

  @Test
  void childCommandIsJavaFlagsClasspathMainThenArgsVerbatim() {
    Benchmark train = Benchmarks.standard().find("train").orElseThrow();
    BenchLauncher launcher =
        new BenchLauncher(Path.of("/jdk/bin/java"), BenchLauncher.Streams.inherit());

    List<String> command =
        launcher.command(train, Path.of("/repo"), List.of("--threads", "4", "a b", "--help"));

    assertThat(command)
        .containsExactly(
            "/jdk/bin/java",
            "--add-modules",
            "jdk.incubator.vector",
            "-cp",
            "/repo/worker/target/classes:/repo/worker/target/lib/*",
            "dev.kiln.worker.bench.TrainBench",
            "--threads",
            "4",
            "a b",
            "--help");
  }

  @Test
  void childRunsOnTheJavaOfThisJvm() {
    assertThat(BenchLauncher.currentJava())
        .isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java"));
  }

  @Test
  void missingNamesWhatIsNotBuiltYet() throws IOException {
    Benchmark tuner = Benchmarks.standard().find("tuner").orElseThrow();

    assertThat(tuner.missing(home)).hasValueSatisfying(m -> assertThat(m).contains("classes"));

    Files.createDirectories(home.resolve("tuner/target/classes/dev/kiln/tuner/bench"));
    Files.createDirectories(home.resolve("tuner/target/lib"));
    assertThat(tuner.missing(home)).hasValueSatisfying(m -> assertThat(m).contains("TunerBench"));

    Files.writeString(
        home.resolve("tuner/target/classes/dev/kiln/tuner/bench/TunerBench.class"), "");
    assertThat(tuner.missing(home)).isEmpty();
  }

  @Test
  void duplicateNamesAreRejected() {
    Benchmark one = Benchmarks.standard().all().get(0);

    assertThatThrownBy(() -> new Benchmarks(List.of(one, one)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unknownBenchmarkIsAUsageErrorListingTheKnownOnes() {
    Result result = KilnRunner.run(Map.of(), home, "bench", "nope", "--threads", "2");

    assertThat(result.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err())
        .contains("unknown benchmark 'nope'")
        .contains("train, allreduce, tuner, serve, scheduler, controlplane");
  }

  @Test
  void benchWithoutANameIsAUsageError() {
    Result result = KilnRunner.run(Map.of(), home, "bench");

    assertThat(result.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("NAME");
  }

  @Test
  void benchHelpListsTheBenchmarks() {
    Result result = KilnRunner.run(Map.of(), home, "bench", "--help");

    assertThat(result.exit()).isZero();
    assertThat(result.out()).contains("Benchmarks:", "controlplane", "pods_created_ms");
  }
}
