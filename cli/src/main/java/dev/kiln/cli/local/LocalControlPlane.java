package dev.kiln.cli.local;

import dev.kiln.cli.Kiln;
import dev.kiln.cli.KilnException;
import dev.kiln.cli.LocalConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts and finds the local control plane: the control plane's jar from the checkout, run with
 * {@code KILN_MODE=local}, which writes {@code local.json} once it is up. Shared by {@code kiln
 * local up} and {@code kiln demo}.
 */
public final class LocalControlPlane {
  /** The Quarkus app of the control-plane module, relative to the checkout. */
  public static final String JAR = "control-plane/target/quarkus-app/quarkus-run.jar";

  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  /** How to start it. */
  public record Options(Path home, int port, int s3Port, int routerPort) {
    /** With the endpoint router on its default port, 7080. */
    public Options(Path home, int port, int s3Port) {
      this(home, port, s3Port, 7080);
    }
  }

  private final Kiln kiln;

  public LocalControlPlane(Kiln kiln) {
    this.kiln = kiln;
  }

  /** The default home folder, {@code ~/.kiln}. */
  public Path defaultHome() {
    return kiln.userHome().resolve(".kiln");
  }

  /** The running control plane that answers with the token in {@code local.json}, if any. */
  public Optional<LocalFile> running() {
    Optional<LocalFile> file;
    try {
      file = LocalFile.find(kiln.userHome());
    } catch (KilnException unreadable) {
      return Optional.empty();
    }
    if (file.isEmpty() || file.get().process().isEmpty()) {
      return Optional.empty();
    }
    try (LocalClient client = new LocalClient(file.get().config())) {
      return client.answers() ? file : Optional.empty();
    }
  }

  /** The command line that runs the control plane in local mode. */
  public List<String> command(Options options) {
    Path repo = kiln.repoHome();
    Path jar = repo.resolve(JAR);
    if (!Files.isRegularFile(jar)) {
      throw KilnException.failed(
          "the control plane is not built (no " + jar + ")",
          "build it with: ./mvnw -B install -DskipTests (./kiln local up does that for you)");
    }
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.add("-Xmx512m");
    argv.add("-Dkiln.local.home=" + options.home().toAbsolutePath().normalize());
    argv.add(
        "-Dkiln.local.config-file=" + LocalConfig.defaultFile(kiln.userHome()).toAbsolutePath());
    argv.add("-Dkiln.local.repo=" + repo);
    argv.add("-Dquarkus.http.port=" + options.port());
    argv.add("-Dkiln.local.s3-port=" + options.s3Port());
    argv.add("-Dkiln.local.router-port=" + options.routerPort());
    argv.add("-jar");
    argv.add(jar.toString());
    return argv;
  }

  /** A process builder for it, with the environment that selects local mode. */
  public ProcessBuilder builder(Options options) {
    ProcessBuilder pb = new ProcessBuilder(command(options));
    pb.environment().put("KILN_MODE", "local");
    // Local mode never talks to a cluster, whatever the user's shell points at.
    pb.environment().remove("KUBECONFIG");
    return pb;
  }

  /**
   * Starts it detached (its own session, output to {@code <home>/control-plane.log}) and waits
   * until it answers.
   */
  public LocalFile startDetached(Options options, PrintWriter progress) {
    Path home = options.home().toAbsolutePath().normalize();
    Path log = home.resolve("control-plane.log");
    Process process;
    try {
      Files.createDirectories(home);
      ProcessBuilder pb = builder(options);
      pb.command().add(0, "setsid");
      pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.redirectErrorStream(true);
      process = pb.start();
    } catch (IOException e) {
      throw KilnException.failed("cannot start the local control plane: " + e.getMessage(), null);
    }
    progress.println("kiln: starting local mode (log: " + log + ")...");
    progress.flush();
    return awaitReady(process, log);
  }

  /** Waits until {@code local.json} names this process and its API answers. */
  public LocalFile awaitReady(Process process, Path log) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw KilnException.failed(
            "the local control plane exited with code " + process.exitValue() + tail(log),
            "see " + log);
      }
      Optional<LocalFile> file = readQuietly();
      if (file.isPresent() && file.get().pid() == process.pid()) {
        try (LocalClient client = new LocalClient(file.get().config())) {
          if (client.answers()) {
            return file.get();
          }
        }
      }
      sleep(Duration.ofMillis(250));
    }
    process.destroy();
    throw KilnException.failed(
        "the local control plane did not answer within " + START_TIMEOUT.toSeconds() + "s",
        "see " + log);
  }

  private Optional<LocalFile> readQuietly() {
    try {
      return LocalFile.find(kiln.userHome());
    } catch (KilnException notYet) {
      return Optional.empty();
    }
  }

  private static String tail(Path log) {
    if (log == null || !Files.exists(log)) {
      return "";
    }
    try {
      List<String> lines = Files.readAllLines(log);
      return ":\n  "
          + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KilnException.failed("interrupted", null);
    }
  }
}
