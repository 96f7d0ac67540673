package dev.kiln.cli;

import picocli.CommandLine;

/**
 * A top-level {@code kiln} command, found with {@link java.util.ServiceLoader}.
 *
 * <p>To add {@code kiln foo}: write a class annotated {@code @Command(name = "foo", ...)} that
 * implements this interface and {@code Callable<Integer>} (returning an {@link ExitCodes} value),
 * with a public no-argument constructor, and add its name as one line to {@code
 * cli/src/main/resources/META-INF/services/dev.kiln.cli.KilnSubcommand}. Nested commands ({@code
 * kiln foo bar}) are listed in its own {@code @Command(subcommands = ...)}. The command reaches the
 * global options and environment through {@link Kiln#of(picocli.CommandLine.Model.CommandSpec)},
 * writes to {@code spec.commandLine().getOut()}, and reports expected failures by throwing {@link
 * KilnException}.
 */
public interface KilnSubcommand {

  /**
   * Called once after the command is attached under {@code kiln}, for parser settings that
   * annotations cannot express (e.g. {@code setStopAtPositional}).
   */
  default void configure(CommandLine commandLine) {}
}
