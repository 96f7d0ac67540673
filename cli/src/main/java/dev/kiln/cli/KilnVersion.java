package dev.kiln.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What {@code kiln version} and {@code kiln --version} print: Kiln, commit and Java versions. */
public final class KilnVersion {
  private KilnVersion() {}

  /**
   * The Kiln version: the jar manifest's {@code Implementation-Version}, else the build's {@code
   * project.version} (classes run outside the jar, as in tests).
   */
  public static String version() {
    String fromManifest = KilnVersion.class.getPackage().getImplementationVersion();
    if (fromManifest != null) {
      return fromManifest;
    }
    try (InputStream in = KilnVersion.class.getResourceAsStream("kiln-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Java runtime: version, vendor and home. */
  public static String java() {
    return Runtime.version()
        + " ("
        + System.getProperty("java.vendor", "unknown vendor")
        + ", "
        + System.getProperty("java.home")
        + ")";
  }

  /** The lines to print; {@code repo} is the checkout whose commit to report, if known. */
  public static List<String> lines(Optional<Path> repo) {
    List<String> lines = new ArrayList<>();
    lines.add("kiln " + version());
    repo.flatMap(GitCommit::of).ifPresent(sha -> lines.add("commit " + sha));
    lines.add("java " + java());
    return lines;
  }

  /** The lines for a run with this environment. */
  static List<String> lines(Map<String, String> env) {
    Optional<Path> repo;
    try {
      repo = RepoHome.find(env, RepoHome.codeLocation());
    } catch (KilnException badKilnHome) {
      repo = Optional.empty();
    }
    return lines(repo);
  }

  /** picocli's hook for {@code --version}. */
  public static final class Provider implements IVersionProvider {
    @Spec private CommandSpec spec;

    @Override
    public String[] getVersion() {
      Map<String, String> env = spec == null ? System.getenv() : Kiln.of(spec).env();
      return lines(env).toArray(String[]::new);
    }
  }
}
