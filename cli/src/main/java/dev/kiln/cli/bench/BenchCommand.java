package dev.kiln.cli.bench;

import dev.kiln.cli.Kiln;
import dev.kiln.cli.KilnSubcommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kiln bench NAME [ARG...]}: runs the owning module's benchmark main in a child JVM. */
@Command(
    name = "bench",
    description = {
      "Run a benchmark in a child JVM; it prints one JSON object on its last line of stdout.",
      "Everything after NAME goes to the benchmark as is (try: kiln bench NAME --help)."
    })
public final class BenchCommand implements KilnSubcommand, Callable<Integer> {

  @Parameters(index = "0", paramLabel = "NAME", description = "the benchmark, listed below")
  private String name;

  @Parameters(index = "1..*", paramLabel = "ARG", description = "the benchmark's own arguments")
  private List<String> args = new ArrayList<>();

  @Spec private CommandSpec spec;

  private final Benchmarks benchmarks;
  private final BenchLauncher launcher;

  /** The command of a real run: the standard table, this JVM, this terminal. */
  public BenchCommand() {
    this(Benchmarks.standard(), BenchLauncher.forThisJvm());
  }

  /** A command over another table or launcher (tests). */
  public BenchCommand(Benchmarks benchmarks, BenchLauncher launcher) {
    this.benchmarks = benchmarks;
    this.launcher = launcher;
  }

  @Override
  public void configure(CommandLine commandLine) {
    // After NAME nothing is ours: "--threads 4" belongs to the benchmark, not to picocli.
    commandLine.setStopAtPositional(true);
    commandLine.setUnmatchedOptionsArePositionalParams(true);
    List<String> footer = new ArrayList<>(List.of("", "Benchmarks:"));
    for (Benchmark benchmark : benchmarks.all()) {
      footer.add(String.format("  %-13s %s", benchmark.name(), benchmark.summary()));
    }
    commandLine.getCommandSpec().usageMessage().footer(footer.toArray(String[]::new));
  }

  @Override
  public Integer call() throws Exception {
    Benchmark benchmark =
        benchmarks
            .find(name)
            .orElseThrow(
                () ->
                    new ParameterException(
                        spec.commandLine(),
                        "unknown benchmark '"
                            + name
                            + "'; known: "
                            + String.join(", ", benchmarks.names())));
    Path home = Kiln.of(spec).repoHome();
    // The child writes straight to our stdout/stderr: nothing of ours may be left buffered.
    spec.commandLine().getOut().flush();
    spec.commandLine().getErr().flush();
    return launcher.run(benchmark, home, List.copyOf(args));
  }
}
