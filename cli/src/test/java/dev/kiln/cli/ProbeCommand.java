package dev.kiln.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A test-only {@code kiln probe}: shows what a plugged-in command sees, and how it fails. */
@Command(
    name = "probe",
    description = "test-only: print what a command sees",
    subcommands = ProbeCommand.Deep.class)
public final class ProbeCommand implements KilnSubcommand, Callable<Integer> {
  @Option(names = "--fail", description = "throw a KilnException with this message")
  private String fail;

  @Option(names = "--crash", description = "throw an unexpected exception")
  private boolean crash;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    if (crash) {
      throw new IllegalStateException("boom");
    }
    if (fail != null) {
      throw KilnException.failed(fail, "do this instead");
    }
    spec.commandLine().getOut().println("context=" + Kiln.of(spec).context().orElse("<local>"));
    return ExitCodes.OK;
  }

  /** {@code kiln probe deep}: a nested command, to see global options reach every level. */
  @Command(name = "deep")
  static final class Deep implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine()
          .getOut()
          .println("deep context=" + Kiln.of(spec).context().orElse("<local>"));
      return ExitCodes.OK;
    }
  }
}
