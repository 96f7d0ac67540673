package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.cli.KilnRunner.Result;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KilnTest {
  @TempDir Path userHome;

  private Result kiln(String... args) {
    return KilnRunner.run(Map.of(), userHome, args);
  }

  @Test
  void versionPrintsKilnVersionCommitAndJava() {
    Result result = kiln("version");

    assertThat(result.exit()).isZero();
    String[] lines = result.out().split("\\R");
    assertThat(lines[0]).isEqualTo("kiln " + System.getProperty("kiln.expectedVersion"));
    assertThat(lines[lines.length - 1])
        .startsWith("java " + Runtime.version())
        .contains(System.getProperty("java.home"));
    // This checkout is a git repository: the commit sits between the two.
    assertThat(result.out()).containsPattern("(?m)^commit [0-9a-f]{40}$");
  }

  @Test
  void versionOptionPrintsTheSameAsTheCommand() {
    assertThat(kiln("--version").out()).isEqualTo(kiln("version").out());
  }

  @Test
  void noCommandIsAUsageErrorListingTheCommands() {
    Result result = kiln();

    assertThat(result.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("a command is required").contains("Commands:");
  }

  @Test
  void unknownOptionIsAUsageError() {
    Result result = kiln("version", "--no-such-option");

    assertThat(result.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("--no-such-option");
  }

  @Test
  void unknownCommandIsAUsageError() {
    Result result = kiln("no-such-command");

    assertThat(result.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("no-such-command");
  }

  @Test
  void helpListsEveryDiscoveredCommandIncludingPluggedInOnes() {
    Result result = kiln("--help");

    assertThat(result.exit()).isZero();
    assertThat(result.out())
        .contains("bench", "completion", "version", "help", "--context")
        // ProbeCommand is listed only in the test tree's META-INF/services file.
        .contains("probe");
  }

  @Test
  void discoveryFindsTheBuiltInCommandsAndTestOnes() {
    assertThat(Kiln.discoverSubcommands())
        .extracting(command -> command.getClass().getSimpleName())
        .contains("VersionCommand", "CompletionCommand", "BenchCommand", "ProbeCommand");
  }

  @Test
  void subcommandsInheritHelp() {
    Result result = kiln("probe", "--help");

    assertThat(result.exit()).isZero();
    assertThat(result.out()).contains("Usage: kiln probe").contains("--context");
  }

  @Test
  void withoutContextCommandsTalkToLocalMode() {
    assertThat(kiln("probe").out()).isEqualTo("context=<local>\n");
  }

  @Test
  void contextIsAcceptedBeforeOrAfterAnySubcommand() {
    assertThat(kiln("--context", "a", "probe").out()).isEqualTo("context=a\n");
    assertThat(kiln("probe", "--context", "b").out()).isEqualTo("context=b\n");
    assertThat(kiln("probe", "deep", "--context=c").out()).isEqualTo("deep context=c\n");
  }

  @Test
  void contextComesFromTheEnvironmentUnlessGiven() {
    Map<String, String> env = Map.of(Kiln.CONTEXT_ENV, "from-env");

    assertThat(KilnRunner.run(env, userHome, "probe").out()).isEqualTo("context=from-env\n");
    assertThat(KilnRunner.run(env, userHome, "--context", "flag", "probe").out())
        .isEqualTo("context=flag\n");
  }

  @Test
  void expectedFailuresPrintWhatIsWrongAndWhatToDo() {
    Result result = kiln("probe", "--fail", "the job failed");

    assertThat(result.exit()).isEqualTo(ExitCodes.FAILED);
    assertThat(result.err()).startsWith("kiln: the job failed").contains("do this instead");
    assertThat(result.err()).doesNotContain("at dev.kiln");
  }

  @Test
  void unexpectedFailuresExitOneAndShowTheTraceOnlyWhenDebugging() {
    Result quiet = kiln("probe", "--crash");
    Result debug = KilnRunner.run(Map.of(Kiln.DEBUG_ENV, "1"), userHome, "probe", "--crash");

    assertThat(quiet.exit()).isEqualTo(ExitCodes.FAILED);
    assertThat(quiet.err()).contains("unexpected error", "boom", "KILN_DEBUG");
    assertThat(quiet.err()).doesNotContain("at dev.kiln");
    assertThat(debug.err()).contains("at dev.kiln.cli.ProbeCommand.call");
  }

  @Test
  void noLocalControlPlaneSaysHowToStartOne() {
    KilnException error = KilnException.noLocalControlPlane(null);

    assertThat(error.describe())
        .matches("no local control plane (\u2014|-) start one with: kiln local up");
    assertThat(error.exitCode()).isEqualTo(ExitCodes.FAILED);
  }

  @Test
  void completionPrintsABashScriptCoveringTheCommands() {
    Result result = kiln("completion");

    assertThat(result.exit()).isZero();
    assertThat(result.out())
        .contains("complete -F _complete_kiln")
        .contains("bench")
        .contains("version")
        .contains("--context");
  }
}
