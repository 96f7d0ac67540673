package dev.kiln.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.cli.ExitCodes;
import dev.kiln.cli.KilnRunner;
import dev.kiln.cli.KilnRunner.Result;
import dev.kiln.cli.RepoHome;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln bench} through picocli into a real child JVM running {@link EchoBench}. */
class BenchDispatchIT {
  private static final Path TEST_CLASSES = testClasses();

  @TempDir Path home;
  @TempDir Path userHome;
  private Path stdout;
  private Path stderr;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @BeforeEach
  void checkout() throws IOException {
    // A checkout is a folder with mvnw and pom.xml; this mvnw "builds" by making the folders.
    Path mvnw = home.resolve("mvnw");
    Files.writeString(
        mvnw,
        """
        #!/bin/sh
        printf '%s\\n' "$@" > mvnw.args
        echo "fake build output"
        [ -f fail-build ] && exit 3
        mkdir -p fakemod/target/classes fakemod/target/lib
        """);
    Files.setPosixFilePermissions(mvnw, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(home.resolve("pom.xml"), "<project/>");
    stdout = home.resolve("bench.out");
    stderr = home.resolve("bench.err");
  }

  private Result bench(Benchmark benchmark, String... args) {
    BenchLauncher launcher =
        new BenchLauncher(
            BenchLauncher.currentJava(),
            new BenchLauncher.Streams(
                Redirect.from(new File("/dev/null")),
                Redirect.to(stdout.toFile()),
                Redirect.to(stderr.toFile()),
                log));
    BenchCommand command = new BenchCommand(new Benchmarks(List.of(benchmark)), launcher);
    String[] argv = new String[args.length + 2];
    argv[0] = "bench";
    argv[1] = benchmark.name();
    System.arraycopy(args, 0, argv, 2, args.length);
    return KilnRunner.run(Map.of(RepoHome.ENV, home.toString()), userHome, List.of(command), argv);
  }

  private static Benchmark echo(String module, List<String> classpath) {
    return new Benchmark(
        "echo",
        module,
        EchoBench.class.getName(),
        classpath,
        List.of("-Dkiln.echo=from-table"),
        "test: echoes its arguments");
  }

  @Test
  void forwardsArgsVerbatimAndPropagatesTheExitCodeAndLastLine() throws IOException {
    Result result =
        bench(
            echo("cli", List.of(TEST_CLASSES.toString())),
            "--threads",
            "4",
            "a b",
            "--help",
            "--context",
            "x",
            "--exit",
            "3");

    assertThat(result.exit()).as(describe(result)).isEqualTo(3);
    List<String> out = Files.readAllLines(stdout);
    assertThat(out.get(0)).isEqualTo("echo bench: warming up");
    JsonNode last = new ObjectMapper().readTree(out.get(out.size() - 1));
    assertThat(last.get("args"))
        .extracting(JsonNode::asText)
        .containsExactly("--threads", "4", "a b", "--help", "--context", "x", "--exit", "3");
    assertThat(last.get("property").asText()).isEqualTo("from-table");
    assertThat(last.get("cwd").asText()).isEqualTo(System.getProperty("user.dir"));
    assertThat(Files.readString(stderr)).contains("echo bench: a line on stderr");
    assertThat(log.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void successIsExitZero() {
    Result result = bench(echo("cli", List.of(TEST_CLASSES.toString())));

    assertThat(result.exit()).as(describe(result)).isZero();
  }

  @Test
  void buildsTheModuleFirstWhenItsClassesAreMissing() throws IOException {
    Benchmark benchmark =
        echo(
            "fakemod",
            List.of("fakemod/target/classes", "fakemod/target/lib/*", TEST_CLASSES.toString()));

    Result result = bench(benchmark, "--exit", "0");

    assertThat(result.exit()).as(describe(result)).isZero();
    assertThat(Files.readAllLines(home.resolve("mvnw.args")))
        .containsExactly(
            "-B",
            "-q",
            "-pl",
            "fakemod",
            "-am",
            "install",
            "-DskipTests",
            "-Dspotless.check.skip=true");
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("kiln: building fakemod for `kiln bench echo`")
        .contains("fake build output");
    // Build output never reaches stdout: its last line is the benchmark's.
    assertThat(Files.readString(stdout)).doesNotContain("fake build output");
  }

  @Test
  void failedBuildIsReportedWithoutRunningTheBenchmark() throws IOException {
    Files.writeString(home.resolve("fail-build"), "");

    Result result = bench(echo("fakemod", List.of("fakemod/target/classes")));

    assertThat(result.exit()).isEqualTo(ExitCodes.FAILED);
    assertThat(result.err()).contains("kiln: building fakemod failed (./mvnw exit 3)");
    assertThat(stdout).doesNotExist();
  }

  @Test
  void mainClassStillMissingAfterTheBuildIsReported() {
    Result result = bench(echo("fakemod", List.of("fakemod/target/classes")));

    assertThat(result.exit()).isEqualTo(ExitCodes.FAILED);
    assertThat(result.err())
        .contains("benchmark echo cannot run")
        .contains(EchoBench.class.getName() + " is in none of");
  }

  private String describe(Result result) {
    try {
      return "kiln stderr: "
          + result.err()
          + "\nchild stderr: "
          + (Files.exists(stderr) ? Files.readString(stderr) : "(none)")
          + "\nlog: "
          + log.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static Path testClasses() {
    try {
      return Path.of(EchoBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
