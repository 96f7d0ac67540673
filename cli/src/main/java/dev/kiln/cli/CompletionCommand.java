package dev.kiln.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kiln completion}: a bash (and zsh) completion script for every discovered command. */
@Command(
    name = "completion",
    description = "Print a bash/zsh completion script.",
    footer = {"", "Use it with:  source <(kiln completion)"})
public final class CompletionCommand implements KilnSubcommand, Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(AutoComplete.bash("kiln", spec.root().commandLine()));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
