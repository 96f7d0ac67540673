package dev.kiln.it.local;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.api.TrainingJob;
import dev.kiln.cli.Kiln;
import dev.kiln.cli.local.LocalClient;
import dev.kiln.cli.local.LocalFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * {@code kiln} run in this JVM against a local mode of its own: its own user home (so its own
 * {@code ~/.kiln/local.json}), home folder and free ports, with this checkout as {@code KILN_HOME}.
 */
final class LocalKiln implements AutoCloseable {
  /** The checkout: integration-tests runs from its module folder. */
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What one {@code kiln} run printed and returned. */
  record Run(int exit, String out, String err) {}

  final Path userHome;
  final Path home;
  final int port;
  final int s3Port;
  final int routerPort;
  private final Map<String, String> env;

  LocalKiln(Path dir) throws IOException {
    this.userHome = Files.createDirectories(dir.resolve("user"));
    this.home = dir.resolve("home");
    this.port = freePort();
    this.s3Port = freePort();
    this.routerPort = freePort();
    this.env = Map.of("KILN_HOME", REPO.toString());
  }

  Run kiln(String... args) {
    CommandLine cli = Kiln.commandLine(new Kiln(env, userHome), Kiln.discoverSubcommands());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** {@code kiln local up --detach} on this instance's home and ports. */
  Run up() {
    return kiln(
        "local",
        "up",
        "--detach",
        "--home",
        home.toString(),
        "--port",
        Integer.toString(port),
        "--s3-port",
        Integer.toString(s3Port),
        "--router-port",
        Integer.toString(routerPort));
  }

  LocalFile localFile() {
    return LocalFile.read(userHome.resolve(".kiln").resolve("local.json"));
  }

  LocalClient client() {
    return new LocalClient(localFile().config());
  }

  TrainingJob job(String name) {
    try (LocalClient c = client()) {
      return c.get(TrainingJob.class, "default", name).orElseThrow();
    }
  }

  /** Waits (up to 3 minutes) until the job satisfies {@code done}. */
  TrainingJob awaitJob(String name, Predicate<TrainingJob> done) {
    return await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> job(name), done);
  }

  /** The epoch the job's rank 0 last reported, or 0. */
  static int epoch(TrainingJob job) {
    if (job.getStatus() == null || job.getStatus().metrics == null) {
      return 0;
    }
    Double e = job.getStatus().metrics.latest.get("epoch");
    return e == null ? 0 : e.intValue();
  }

  /**
   * The rank records of a job: {@code name -> pid of its wrapper} as the control plane kept them.
   */
  List<JsonNode> rankRecords(TrainingJob job) throws IOException {
    return records(home.resolve("ranks").resolve(job.getMetadata().getUid()));
  }

  List<JsonNode> rankRecords() throws IOException {
    return records(home.resolve("ranks"));
  }

  private static List<JsonNode> records(Path dir) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        out.add(JSON.readTree(Files.readString(p)));
      }
    }
    return out;
  }

  /** Whether any recorded rank process still runs. */
  boolean anyRankAlive() throws IOException {
    return rankRecords().stream()
        .map(r -> r.path("process").path("pid"))
        .filter(JsonNode::isNumber)
        .anyMatch(pid -> ProcessHandle.of(pid.asLong()).map(ProcessHandle::isAlive).orElse(false));
  }

  /** Stops local mode as a user would; anything a failed test left behind goes with it. */
  @Override
  public void close() throws IOException {
    kiln("local", "down");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
