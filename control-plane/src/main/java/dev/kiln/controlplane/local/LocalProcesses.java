package dev.kiln.controlplane.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Local mode's "pods": detached processes, each the leader of its own process group, with a log
 * file and an exit-code file written by a small shell wrapper, so that a restarted control plane
 * can re-adopt live processes and still learn how the ones that ended did.
 */
public final class LocalProcesses {
  private static final String WRAPPER =
      "log=$1; exit_file=$2; shift 2; \"$@\" >>\"$log\" 2>&1; code=$?; "
          + "echo $code >\"$exit_file.tmp\" && mv \"$exit_file.tmp\" \"$exit_file\"";

  /** What to run. */
  public record Launch(List<String> command, Map<String, String> env, Path workDir, Path log) {}

  /**
   * A started process as recorded in the store: enough to find it again after a restart.
   *
   * @param startedAt the process start time, which tells a live process from a reused pid
   */
  public record Handle(long pid, Instant startedAt, String log, String exitFile) {}

  /** What became of a process. */
  public sealed interface State {
    /** Still running. */
    record Running() implements State {}

    /** Ended with an exit code (128+n when killed by signal n). */
    record Exited(int code) implements State {}

    /** Gone without a trace of its exit: killed with its wrapper, or the machine restarted. */
    record Vanished() implements State {}
  }

  /** Starts a process in its own process group. */
  public Handle start(Launch launch) {
    try {
      Files.createDirectories(launch.log().getParent());
      Path exitFile = launch.log().resolveSibling(launch.log().getFileName() + ".exit");
      Files.deleteIfExists(exitFile);
      List<String> argv = new ArrayList<>(List.of("setsid", "sh", "-c", WRAPPER, "sh"));
      argv.add(launch.log().toString());
      argv.add(exitFile.toString());
      argv.addAll(launch.command());
      ProcessBuilder pb = new ProcessBuilder(argv);
      pb.environment().putAll(launch.env());
      if (launch.workDir() != null) {
        Files.createDirectories(launch.workDir());
        pb.directory(launch.workDir().toFile());
      }
      pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
      Process process = pb.start();
      Instant started = process.info().startInstant().orElse(Instant.now());
      return new Handle(process.pid(), started, launch.log().toString(), exitFile.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + launch.command(), e);
    }
  }

  /** Observes a process, whether this control plane started it or an earlier one did. */
  public State observe(Handle handle) {
    Optional<Integer> code = exitCode(handle);
    if (code.isPresent()) {
      return new State.Exited(code.get());
    }
    if (alive(handle)) {
      return new State.Running();
    }
    // The wrapper may have just written its file between the two checks.
    return exitCode(handle).<State>map(State.Exited::new).orElseGet(State.Vanished::new);
  }

  /** Stops the whole process group: SIGTERM, then SIGKILL after {@code grace}. */
  public void stop(Handle handle, Duration grace) {
    if (!alive(handle)) {
      return;
    }
    signalGroup(handle.pid(), "TERM");
    awaitExit(handle, grace);
    signalGroup(handle.pid(), "KILL");
  }

  /** Waits, without polling, until the process exits or {@code timeout} passes. */
  public void awaitExit(Handle handle, Duration timeout) {
    Optional<ProcessHandle> ph = ProcessHandle.of(handle.pid());
    if (ph.isEmpty() || timeout.isNegative()) {
      return;
    }
    try {
      ph.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // Still running after the timeout: the caller escalates.
    }
  }

  /** Asks the whole process group to end (SIGTERM) without waiting; false when already gone. */
  public boolean terminate(Handle handle) {
    if (!alive(handle)) {
      return false;
    }
    signalGroup(handle.pid(), "TERM");
    return true;
  }

  /** Ends the whole process group at once (SIGKILL), if it still runs. */
  public void kill(Handle handle) {
    if (alive(handle)) {
      signalGroup(handle.pid(), "KILL");
    }
  }

  /** The process is alive and is the one we started (not a reused pid). */
  public boolean alive(Handle handle) {
    return ProcessHandle.of(handle.pid())
        .filter(ProcessHandle::isAlive)
        .filter(
            p ->
                p.info()
                    .startInstant()
                    .map(s -> Math.abs(Duration.between(s, handle.startedAt()).toMillis()) < 2000)
                    .orElse(true))
        .isPresent();
  }

  private static Optional<Integer> exitCode(Handle handle) {
    Path file = Path.of(handle.exitFile());
    try {
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      return Optional.of(Integer.parseInt(Files.readString(file).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void signalGroup(long pgid, String signal) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      kill.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot signal process group " + pgid, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
