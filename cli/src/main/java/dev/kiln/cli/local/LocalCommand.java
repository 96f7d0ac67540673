package dev.kiln.cli.local;

import dev.kiln.cli.ExitCodes;
import dev.kiln.cli.Kiln;
import dev.kiln.cli.KilnException;
import dev.kiln.cli.KilnSubcommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kiln local up|down}: local mode, the same control plane on this machine. */
@Command(
    name = "local",
    description = "Run Kiln on this machine: no Docker, no Kubernetes.",
    subcommands = {LocalCommand.Up.class, LocalCommand.Down.class})
public final class LocalCommand implements KilnSubcommand, Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** {@code kiln local up}. */
  @Command(
      name = "up",
      description = {
        "Start the local control plane: gRPC + HTTP on 127.0.0.1:7070, S3 on 7071.",
        "In the foreground Ctrl-C stops it and every rank it started."
      })
  static final class Up implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--detach", description = "run in the background; stop with: kiln local down")
    boolean detach;

    @Option(
        names = "--home",
        paramLabel = "DIR",
        description = "store, logs and objects (default ~/.kiln)")
    Path home;

    @Option(
        names = "--port",
        defaultValue = "7070",
        description = "gRPC + HTTP port (default ${DEFAULT-VALUE})")
    int port;

    @Option(
        names = "--s3-port",
        defaultValue = "7071",
        description = "S3 port (default ${DEFAULT-VALUE})")
    int s3Port;

    @Option(
        names = "--router-port",
        defaultValue = "7080",
        description = "endpoint router port (default ${DEFAULT-VALUE})")
    int routerPort;

    @Override
    public Integer call() throws Exception {
      Kiln kiln = Kiln.of(spec);
      PrintWriter out = spec.commandLine().getOut();
      LocalControlPlane plane = new LocalControlPlane(kiln);
      Optional<LocalFile> running = plane.running();
      if (running.isPresent()) {
        out.println("local mode already runs: " + describe(running.get()));
        return ExitCodes.OK;
      }
      LocalControlPlane.Options options =
          new LocalControlPlane.Options(
              home == null ? plane.defaultHome() : home, port, s3Port, routerPort);
      if (detach) {
        LocalFile file = plane.startDetached(options, spec.commandLine().getErr());
        out.println("local mode up: " + describe(file));
        out.println("stop it with: kiln local down");
        return ExitCodes.OK;
      }
      return foreground(plane, options);
    }

    private int foreground(LocalControlPlane plane, LocalControlPlane.Options options)
        throws IOException, InterruptedException {
      Process process = plane.builder(options).inheritIO().start();
      // Ctrl-C reaches both; a signal to this process alone is passed on. Either way, wait for
      // the control plane to stop its ranks before returning.
      Thread waiter =
          new Thread(
              () -> {
                process.destroy();
                try {
                  process.waitFor();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      Runtime.getRuntime().addShutdownHook(waiter);
      return process.waitFor();
    }
  }

  /** {@code kiln local down}. */
  @Command(name = "down", description = "Stop the local control plane and every rank it started.")
  static final class Down implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Kiln kiln = Kiln.of(spec);
      PrintWriter out = spec.commandLine().getOut();
      Optional<LocalFile> file;
      try {
        file = LocalFile.find(kiln.userHome());
      } catch (KilnException unreadable) {
        file = Optional.empty();
      }
      if (file.isEmpty()) {
        out.println("no local control plane runs");
        return ExitCodes.OK;
      }
      LocalShutdown.Result r = new LocalShutdown(kiln.userHome()).stop(file.get());
      out.println(
          "local mode stopped"
              + (r.controlPlane() ? " (control plane pid " + file.get().pid() + ")" : "")
              + (r.ranks() > 0 ? "; " + r.ranks() + " rank process(es) stopped" : ""));
      return ExitCodes.OK;
    }
  }

  static String describe(LocalFile file) {
    return "control plane "
        + file.config().address()
        + " (gRPC + HTTP), S3 "
        + file.config().s3()
        + ", home "
        + file.config().home();
  }
}
