package dev.kiln.controlplane.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps local mode's S3 server running: in a process of its own (own process group, recorded in
 * {@code s3.json}) when the control plane runs from its packaged jar, so a restarted control plane
 * adopts the one that kept serving its ranks; in this JVM when there is no packaged jar to run it
 * from (tests and dev mode).
 */
final class S3Process {
  private static final Logger LOG = LoggerFactory.getLogger(S3Process.class);
  static final String RECORD = "s3.json";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  /** A running S3 server; closing it stops it. */
  interface Server extends AutoCloseable {
    String endpoint();
  }

  /** What {@code s3.json} holds: the process, and the port it serves. */
  record Recorded(LocalProcesses.Handle process, int port) {}

  private S3Process() {}

  static Server start(
      LocalLayout layout,
      String host,
      int port,
      LocalSecrets secrets,
      LocalProcesses processes,
      Duration stopGrace)
      throws Exception {
    Optional<Path> app = packagedApp();
    if (app.isEmpty()) {
      EmbeddedS3 s3 =
          EmbeddedS3.start(
              layout.objects(), host, port, secrets.s3AccessKey(), secrets.s3SecretKey());
      return new Server() {
        @Override
        public String endpoint() {
          return s3.endpoint();
        }

        @Override
        public void close() throws Exception {
          s3.close();
        }
      };
    }
    Path record = layout.home().resolve(RECORD);
    Optional<Recorded> known = AtomicFiles.read(record).map(S3Process::parse);
    String endpoint = "http://" + host + ":" + port;
    if (known.isPresent() && processes.alive(known.get().process())) {
      if (known.get().port() == port && answers(host, port)) {
        LOG.info("adopted the S3 server that kept running (pid {})", known.get().process().pid());
        return external(known.get().process(), endpoint, record, processes, stopGrace);
      }
      processes.stop(known.get().process(), stopGrace);
    }
    LocalProcesses.Handle handle =
        processes.start(
            new LocalProcesses.Launch(
                command(app.get(), layout, host, port),
                Map.of(
                    "KILN_S3_ACCESS_KEY", secrets.s3AccessKey(),
                    "KILN_S3_SECRET_KEY", secrets.s3SecretKey()),
                layout.home(),
                layout.home().resolve("s3.log")));
    AtomicFiles.write(record, RankTable.JSON.writeValueAsString(new Recorded(handle, port)));
    awaitServing(handle, host, port, processes, layout.home().resolve("s3.log"));
    return external(handle, endpoint, record, processes, stopGrace);
  }

  private static Server external(
      LocalProcesses.Handle handle,
      String endpoint,
      Path record,
      LocalProcesses processes,
      Duration stopGrace) {
    return new Server() {
      @Override
      public String endpoint() {
        return endpoint;
      }

      @Override
      public void close() throws IOException {
        processes.stop(handle, stopGrace);
        Files.deleteIfExists(record);
      }
    };
  }

  private static List<String> command(Path app, LocalLayout layout, String host, int port) {
    String sep = java.io.File.pathSeparator;
    String classpath =
        app.resolve("app").resolve("*")
            + sep
            + app.resolve("lib/main/*")
            + sep
            + app.resolve("lib/boot/*");
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m",
        "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
        "-cp",
        classpath,
        S3ServerMain.class.getName(),
        layout.objects().toString(),
        host,
        Integer.toString(port));
  }

  private static void awaitServing(
      LocalProcesses.Handle handle, String host, int port, LocalProcesses processes, Path log)
      throws Exception {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!answers(host, port)) {
      if (!processes.alive(handle)) {
        throw new IOException("the S3 server exited at start: " + LogFiles.tail(log, 2048).strip());
      }
      if (System.nanoTime() > deadline) {
        processes.stop(handle, Duration.ofSeconds(5));
        throw new IOException("the S3 server did not start on " + host + ":" + port);
      }
      Thread.sleep(50);
    }
  }

  /** Whether something accepts connections at {@code host:port}. */
  static boolean answers(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The folder of the packaged app ({@code quarkus-app}) this JVM runs from, if it does. */
  static Optional<Path> packagedApp() {
    String cp = System.getProperty("java.class.path", "");
    if (!cp.endsWith("quarkus-run.jar") || cp.contains(java.io.File.pathSeparator)) {
      return Optional.empty();
    }
    Path app = Path.of(cp).toAbsolutePath().getParent();
    return Files.isDirectory(app.resolve("lib").resolve("main"))
        ? Optional.of(app)
        : Optional.empty();
  }

  private static Recorded parse(String json) {
    try {
      return RankTable.JSON.readValue(json, Recorded.class);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
