package dev.kiln.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code kiln ...} in this JVM with a given environment, capturing stdout and stderr. */
public final class KilnRunner {

  /** What one run printed and returned. */
  public record Result(int exit, String out, String err) {}

  private KilnRunner() {}

  /** Runs with the discovered subcommands. */
  public static Result run(Map<String, String> env, Path userHome, String... args) {
    return run(env, userHome, Kiln.discoverSubcommands(), args);
  }

  /** Runs with exactly {@code subcommands}. */
  public static Result run(
      Map<String, String> env,
      Path userHome,
      Collection<? extends KilnSubcommand> subcommands,
      String... args) {
    CommandLine commandLine = Kiln.commandLine(new Kiln(env, userHome), subcommands);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exit = commandLine.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }
}
