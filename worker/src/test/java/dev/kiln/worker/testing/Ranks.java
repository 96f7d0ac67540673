package dev.kiln.worker.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: starts the ranks of a gang as real child JVMs running {@code WorkerMain}, from
 * {@code target/classes:target/lib/*} as the control plane launches them, with the rank contract in
 * their environment; logs go to a file per rank.
 */
public final class Ranks implements AutoCloseable {
  private final List<Process> processes = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();

  private Ranks() {}

  /** Starts {@code n} ranks; {@code extraEnv} adds to (or overrides) the contract. */
  public static Ranks start(
      int n, String jobUid, int attempt, Path specFile, Path logDir, Map<String, String> extraEnv)
      throws IOException {
    Ranks r = new Ranks();
    int port = freePort();
    for (int rank = 0; rank < n; rank++) {
      ProcessBuilder pb =
          new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-Xmx256m",
              "-cp",
              classpath(),
              "dev.kiln.worker.WorkerMain");
      Map<String, String> env = pb.environment();
      env.put("RANK", String.valueOf(rank));
      env.put("LOCAL_RANK", String.valueOf(rank));
      env.put("WORLD_SIZE", String.valueOf(n));
      env.put("MASTER_ADDR", "127.0.0.1");
      env.put("MASTER_PORT", String.valueOf(port));
      env.put("KILN_JOB", "test-job");
      env.put("KILN_NAMESPACE", "default");
      env.put("KILN_JOB_UID", jobUid);
      env.put("KILN_ATTEMPT", String.valueOf(attempt));
      env.put("KILN_SPEC_FILE", specFile.toString());
      env.put("KILN_THREADS", "1");
      // The CPU path's bit-exact assertions hold on GPU machines too; GPU tests ask for cuda.
      env.put("KILN_COMPUTE_BACKEND", "cpu");
      env.put("KILN_COLLECTIVE_TIMEOUT_SECONDS", "20");
      env.put("KILN_RENDEZVOUS_TIMEOUT_SECONDS", "60");
      env.putAll(extraEnv);
      Path log = logDir.resolve(jobUid + "-attempt" + attempt + "-rank" + rank + ".log");
      pb.redirectErrorStream(true);
      pb.redirectOutput(log.toFile());
      r.logs.add(log);
      r.processes.add(pb.start());
    }
    return r;
  }

  /** The module's runtime classpath as production uses it, else this JVM's. */
  static String classpath() {
    Path classes = Path.of("target", "classes");
    Path lib = Path.of("target", "lib");
    if (Files.isDirectory(classes) && Files.isDirectory(lib)) {
      return classes.toAbsolutePath()
          + File.pathSeparator
          + lib.toAbsolutePath()
          + File.separator
          + "*";
    }
    return System.getProperty("java.class.path");
  }

  public Process process(int rank) {
    return processes.get(rank);
  }

  /** Waits for every rank to exit; returns the exit codes by rank. */
  public int[] await(long seconds) throws InterruptedException {
    int[] codes = new int[processes.size()];
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    for (int i = 0; i < codes.length; i++) {
      Process p = processes.get(i);
      long left = Math.max(1, end - System.nanoTime());
      if (!p.waitFor(left, TimeUnit.NANOSECONDS)) {
        throw new AssertionError("rank " + i + " still running after " + seconds + "s:\n" + logs());
      }
      codes[i] = p.exitValue();
    }
    return codes;
  }

  /** Every rank's log, for failure messages. */
  public String logs() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < logs.size(); i++) {
      sb.append("--- rank ").append(i).append(" ---\n").append(log(i));
    }
    return sb.toString();
  }

  public String log(int rank) {
    try {
      return Files.readString(logs.get(rank));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Environment pointing at an S3 server. */
  public static Map<String, String> env(S3Server s3, Map<String, String> more) {
    Map<String, String> env = new HashMap<>(s3.env());
    env.putAll(more);
    return env;
  }

  @Override
  public void close() {
    processes.forEach(Process::destroyForcibly);
  }
}
