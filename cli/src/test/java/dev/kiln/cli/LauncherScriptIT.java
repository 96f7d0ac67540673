package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's {@code ./kiln} script, run by bash in a scratch checkout whose {@code mvnw}
 * records what it was asked to build and whose {@code JAVA_HOME} holds a {@code java} that prints
 * how it was started.
 */
class LauncherScriptIT {
  private static final String CLI_BUILD =
      "-B -q install -DskipTests -Dspotless.check.skip=true -pl cli -am";
  private static final String FULL_BUILD = "-B -q install -DskipTests -Dspotless.check.skip=true";

  @TempDir Path checkout;
  @TempDir Path javaHome;
  private Path jar;
  private Path source;

  /** What one run printed and returned. */
  record Run(int exit, String out, String err) {}

  @BeforeEach
  void scratchCheckout() throws IOException {
    Path script = RepoHome.require(Map.of(), RepoHome.codeLocation()).resolve("kiln");
    checkout = checkout.toRealPath();
    Files.copy(script, checkout.resolve("kiln"), StandardCopyOption.COPY_ATTRIBUTES);
    executable(
        checkout.resolve("mvnw"),
        """
        #!/bin/sh
        echo "$*" >> mvnw.calls
        echo "maven noise"
        [ -f fail-build ] && exit 1
        mkdir -p cli/target/lib
        touch cli/target/kiln-cli.jar
        case " $* " in
          *" -pl "*) ;;
          *) mkdir -p control-plane/target/quarkus-app
             touch control-plane/target/quarkus-app/quarkus-run.jar ;;
        esac
        """);
    age(Files.writeString(checkout.resolve("pom.xml"), "<project/>"), 2);
    source = checkout.resolve("cli/src/main/java/Source.java");
    Files.createDirectories(source.getParent());
    age(Files.writeString(source, "class Source {}"), 2);
    executable(
        javaHome.resolve("bin/java"),
        """
        #!/bin/sh
        echo "java $*"
        echo "KILN_HOME=$KILN_HOME"
        """);
    jar = checkout.resolve("cli/target/kiln-cli.jar");
  }

  private Run kiln(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(concat(List.of(checkout.resolve("kiln").toString()), List.of(args)))
            .directory(javaHome.toFile());
    builder.environment().remove("KILN_BUILD_ALL");
    builder.environment().remove("KILN_HOME");
    builder.environment().put("JAVA_HOME", javaHome.toString());
    builder.environment().putAll(env);
    Path err = Files.createTempFile(javaHome, "kiln", ".err");
    builder.redirectError(err.toFile());
    Process process = builder.start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(process.waitFor(), out, Files.readString(err));
  }

  private Run kiln(String... args) throws IOException, InterruptedException {
    return kiln(Map.of(), args);
  }

  private List<String> builds() throws IOException {
    Path calls = checkout.resolve("mvnw.calls");
    return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
  }

  @Test
  void firstRunBuildsTheCliThenRunsItsJarWithTheArguments() throws Exception {
    Run run = kiln("version", "--context", "a b");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(builds()).containsExactly(CLI_BUILD);
    assertThat(run.err()).contains("kiln: building Kiln (first run)...").contains("maven noise");
    // Build output goes to stderr: stdout is only what the CLI prints.
    assertThat(run.out())
        .isEqualTo("java -jar " + jar + " version --context a b\nKILN_HOME=" + checkout + "\n");
  }

  @Test
  void upToDateJarRunsWithoutBuilding() throws Exception {
    kiln("version");

    Run run = kiln("version");

    assertThat(builds()).containsExactly(CLI_BUILD);
    assertThat(run.err()).isEmpty();
  }

  @Test
  void sourceNewerThanTheJarRebuildsTheCli() throws Exception {
    kiln("version");
    age(jar, 1);
    age(source, 0);

    Run run = kiln("version");

    assertThat(builds()).containsExactly(CLI_BUILD, CLI_BUILD);
    assertThat(run.err()).contains("building Kiln (the CLI changed)");
  }

  @Test
  void demoBuildsTheWholeProjectWhileTheControlPlaneJarIsMissing() throws Exception {
    Run first = kiln("demo");
    Run second = kiln("local", "up");

    assertThat(first.exit()).isZero();
    assertThat(first.err()).contains("the whole project");
    assertThat(second.out()).startsWith("java -jar " + jar + " local up\n");
    assertThat(builds()).containsExactly(FULL_BUILD);
  }

  @Test
  void buildAllForcesAWholeBuild() throws Exception {
    kiln("version");

    kiln(Map.of("KILN_BUILD_ALL", "1"), "version");

    assertThat(builds()).containsExactly(CLI_BUILD, FULL_BUILD);
  }

  @Test
  void failedBuildExitsOneWithoutRunningTheCli() throws Exception {
    Files.writeString(checkout.resolve("fail-build"), "");

    Run run = kiln("version");

    assertThat(run.exit()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err()).contains("kiln: the build failed");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aSymlinkToTheScriptStillFindsTheCheckout(@TempDir Path bin) throws Exception {
    Files.createSymbolicLink(bin.resolve("kiln"), checkout.resolve("kiln"));
    ProcessBuilder builder =
        new ProcessBuilder(bin.resolve("kiln").toString(), "version").directory(bin.toFile());
    builder.environment().remove("KILN_HOME");
    builder.environment().put("JAVA_HOME", javaHome.toString());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor()).isZero();
    assertThat(out).contains("KILN_HOME=" + checkout + "\n");
  }

  private static void executable(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  // Explicit times, not sleeps: `find -newer` compares modification times.
  private static void age(Path file, int hours) throws IOException {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(hours, ChronoUnit.HOURS)));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
