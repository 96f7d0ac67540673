package dev.kiln.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code kiln} command: global options, subcommand discovery, errors and exit codes. */
@Command(
    name = "kiln",
    // INHERIT gives every subcommand --help/--version and these usage settings.
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = KilnVersion.Provider.class,
    usageHelpAutoWidth = true,
    description =
        "Kiln: training jobs, sweeps and inference endpoints, on this machine or a cluster.",
    footer = {
      "",
      "Without --context kiln talks to local mode (start it with: kiln local up).",
      "Exit codes: 0 ok, 1 the job or sweep failed, 2 usage."
    })
public final class Kiln implements Runnable {

  /** The environment variable that stands in for {@code --context}. */
  public static final String CONTEXT_ENV = "KILN_CONTEXT";

  /** Set to anything to see stack traces of unexpected errors. */
  public static final String DEBUG_ENV = "KILN_DEBUG";

  // INHERIT: accepted after any subcommand too; picocli binds every copy to this one field.
  @Option(
      names = "--context",
      paramLabel = "CONTEXT",
      scope = ScopeType.INHERIT,
      description =
          "kubeconfig context: work on that cluster instead of local mode (env: KILN_CONTEXT)")
  private String context;

  @Spec private CommandSpec spec;

  private final Map<String, String> env;
  private final Path userHome;

  /** The root command of a real run: this process's environment and home folder. */
  public Kiln() {
    this(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /** A root command with an explicit environment and user home, so tests need not mutate either. */
  public Kiln(Map<String, String> env, Path userHome) {
    this.env = Map.copyOf(env);
    this.userHome = userHome;
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs {@code kiln args...} with the discovered subcommands and returns the exit code. */
  public static int execute(String... args) {
    return commandLine(new Kiln(), discoverSubcommands()).execute(args);
  }

  /** Every {@link KilnSubcommand} listed in a {@code META-INF/services} file on the class path. */
  public static List<KilnSubcommand> discoverSubcommands() {
    List<KilnSubcommand> found = new ArrayList<>();
    ServiceLoader.load(KilnSubcommand.class, Kiln.class.getClassLoader()).forEach(found::add);
    return found;
  }

  /** The {@code kiln} command line over {@code root}, with {@code subcommands} in name order. */
  public static CommandLine commandLine(
      Kiln root, Collection<? extends KilnSubcommand> subcommands) {
    CommandLine commandLine = new CommandLine(root);
    List<KilnSubcommand> sorted = new ArrayList<>(subcommands);
    sorted.sort(Comparator.comparing(Kiln::nameOf));
    for (KilnSubcommand subcommand : sorted) {
      CommandLine child = new CommandLine(subcommand);
      commandLine.addSubcommand(child);
      subcommand.configure(child);
    }
    commandLine.addSubcommand(new CommandLine.HelpCommand());
    commandLine.setExecutionExceptionHandler(new ErrorHandler());
    return commandLine;
  }

  /** The root command of the command line {@code spec} belongs to. */
  public static Kiln of(CommandSpec spec) {
    return (Kiln) spec.root().userObject();
  }

  /** {@code kiln} alone is a usage error: it lists the commands on stderr and exits 2. */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is required, e.g.: kiln version");
  }

  /** The kubeconfig context for cluster mode; empty means local mode. */
  public Optional<String> context() {
    String value = context != null ? context : env.get(CONTEXT_ENV);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  /** The environment this run sees. */
  public Map<String, String> env() {
    return env;
  }

  /** The user's home folder (where {@code ~/.kiln} lives). */
  public Path userHome() {
    return userHome;
  }

  /** The {@code ~/.kiln/local.json} of a running local control plane. */
  public LocalConfig localConfig() {
    return LocalConfig.read(LocalConfig.defaultFile(userHome));
  }

  /** The repository root that {@code kiln bench} builds and runs from. */
  public Path repoHome() {
    return RepoHome.require(env, RepoHome.codeLocation());
  }

  private static String nameOf(KilnSubcommand subcommand) {
    Command command = subcommand.getClass().getAnnotation(Command.class);
    if (command == null) {
      throw new IllegalStateException(
          subcommand.getClass().getName() + " implements KilnSubcommand but has no @Command");
    }
    return command.name();
  }

  /** Turns exceptions from a command into one line on stderr and an exit code. */
  private static final class ErrorHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(
        Exception ex, CommandLine commandLine, ParseResult parseResult) {
      if (ex instanceof KilnException failure) {
        commandLine.getErr().println("kiln: " + failure.describe());
        return failure.exitCode();
      }
      commandLine.getErr().println("kiln: unexpected error: " + ex);
      if (of(commandLine.getCommandSpec()).env.containsKey(DEBUG_ENV)) {
        ex.printStackTrace(commandLine.getErr());
      } else {
        commandLine.getErr().println("kiln: set " + DEBUG_ENV + "=1 to see the stack trace");
      }
      return ExitCodes.FAILED;
    }
  }
}
