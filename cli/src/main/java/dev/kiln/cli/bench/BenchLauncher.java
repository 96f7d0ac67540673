package dev.kiln.cli.bench;

import dev.kiln.cli.ExitCodes;
import dev.kiln.cli.KilnException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs a {@link Benchmark} in a child JVM, building its module first if its classes are missing.
 * The child runs the same {@code java} as this process, in the user's working directory; its exit
 * code is the result.
 */
public final class BenchLauncher {

  /**
   * Where the child's streams go, and where build output and notices go.
   *
   * @param in the child's stdin
   * @param out the child's stdout; the benchmark's JSON line arrives here
   * @param err the child's stderr
   * @param log build output and notices; never stdout, so stdout stays the benchmark's own
   */
  public record Streams(Redirect in, Redirect out, Redirect err, OutputStream log) {
    public Streams {
      Objects.requireNonNull(in, "in");
      Objects.requireNonNull(out, "out");
      Objects.requireNonNull(err, "err");
      Objects.requireNonNull(log, "log");
    }

    /** The child shares this process's terminal, so it sees a TTY where we do. */
    public static Streams inherit() {
      return new Streams(Redirect.INHERIT, Redirect.INHERIT, Redirect.INHERIT, System.err);
    }
  }

  private final Path java;
  private final Streams streams;

  /** A launcher starting {@code java} with {@code streams}. */
  public BenchLauncher(Path java, Streams streams) {
    this.java = Objects.requireNonNull(java, "java");
    this.streams = Objects.requireNonNull(streams, "streams");
  }

  /** A launcher for a real run: this JVM's {@code java}, this process's streams. */
  public static BenchLauncher forThisJvm() {
    return new BenchLauncher(currentJava(), Streams.inherit());
  }

  /** The {@code java} executable of the running JVM. */
  public static Path currentJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** The child's command line: java, JVM options, classpath, main class, then {@code args}. */
  public List<String> command(Benchmark benchmark, Path home, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(benchmark.jvmArgs());
    command.add("-cp");
    command.add(String.join(File.pathSeparator, benchmark.resolvedClasspath(home)));
    command.add(benchmark.mainClass());
    command.addAll(args);
    return command;
  }

  /**
   * Builds {@code benchmark}'s module if needed, runs it with {@code args} verbatim, and returns
   * its exit code. Interrupting the caller stops the child.
   */
  public int run(Benchmark benchmark, Path home, List<String> args)
      throws IOException, InterruptedException {
    if (benchmark.missing(home).isPresent()) {
      build(benchmark, home);
      String stillMissing = benchmark.missing(home).orElse(null);
      if (stillMissing != null) {
        throw KilnException.failed(
            "benchmark " + benchmark.name() + " cannot run: " + stillMissing,
            "is "
                + benchmark.mainClass()
                + " written yet? build it with: ./mvnw -pl "
                + benchmark.module()
                + " -am install -DskipTests");
      }
    }
    Process child =
        new ProcessBuilder(command(benchmark, home, args))
            .redirectInput(streams.in())
            .redirectOutput(streams.out())
            .redirectError(streams.err())
            .start();
    return awaitStoppingOnExit(child);
  }

  private void build(Benchmark benchmark, Path home) throws IOException, InterruptedException {
    // Formatting is checked by `./mvnw verify`; it must not stop a user from running a benchmark.
    List<String> mavenArgs =
        List.of(
            "-B",
            "-q",
            "-pl",
            benchmark.module(),
            "-am",
            "install",
            "-DskipTests",
            "-Dspotless.check.skip=true");
    Path mvnw = home.resolve("mvnw");
    List<String> command = new ArrayList<>();
    if (!Files.isExecutable(mvnw)) {
      command.add("sh"); // a checkout that lost the executable bit still builds
    }
    command.add(mvnw.toString());
    command.addAll(mavenArgs);
    notice(
        "kiln: building "
            + benchmark.module()
            + " for `kiln bench "
            + benchmark.name()
            + "` (its classes are missing): ./mvnw "
            + String.join(" ", mavenArgs)
            + "\n");
    Process build =
        new ProcessBuilder(command)
            .directory(home.toFile())
            .redirectInput(Redirect.from(devNull()))
            .redirectErrorStream(true)
            .start();
    // Build output goes to the log, never stdout: stdout's last line must be the benchmark's JSON.
    try (InputStream output = build.getInputStream()) {
      output.transferTo(streams.log());
    }
    int exit = awaitStoppingOnExit(build);
    streams.log().flush();
    if (exit != ExitCodes.OK) {
      throw KilnException.failed(
          "building " + benchmark.module() + " failed (./mvnw exit " + exit + ")",
          "see the build output above");
    }
  }

  private void notice(String line) {
    try {
      streams.log().write(line.getBytes(StandardCharsets.UTF_8));
      streams.log().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static File devNull() {
    return new File(File.separatorChar == '\\' ? "NUL" : "/dev/null");
  }

  // If this JVM is told to stop (SIGTERM, Ctrl-C), the child stops too rather than run on orphaned.
  private static int awaitStoppingOnExit(Process process) throws InterruptedException {
    Thread stopper = new Thread(process::destroy, "kiln-bench-stop-child");
    Runtime.getRuntime().addShutdownHook(stopper);
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      process.destroy();
      throw e;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stopper);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or about to: it stops the child.
      }
    }
  }
}
