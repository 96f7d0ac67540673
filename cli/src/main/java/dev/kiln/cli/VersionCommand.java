package dev.kiln.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kiln version}: the Kiln version, the commit of the checkout, and the Java runtime. */
@Command(name = "version", description = "Print the Kiln version, git commit and Java version.")
public final class VersionCommand implements KilnSubcommand, Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    KilnVersion.lines(Kiln.of(spec).env()).forEach(spec.commandLine().getOut()::println);
    return ExitCodes.OK;
  }
}
