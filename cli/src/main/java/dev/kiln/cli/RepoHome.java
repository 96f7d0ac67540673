package dev.kiln.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the Kiln repository root: {@code KILN_HOME}, or the folder above the CLI with {@code mvnw}.
 */
public final class RepoHome {

  /** Set by {@code ./kiln} to the repository root. */
  public static final String ENV = "KILN_HOME";

  private RepoHome() {}

  /**
   * The repository root: {@code KILN_HOME} if set, else the nearest folder at or above {@code
   * codeLocation} (the CLI's jar or classes folder) that holds {@code mvnw}.
   */
  public static Optional<Path> find(Map<String, String> env, Path codeLocation) {
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      Path home = Path.of(fromEnv).toAbsolutePath().normalize();
      if (!isCheckout(home)) {
        throw KilnException.failed(
            ENV + "=" + fromEnv + " is not a Kiln checkout (no mvnw there)",
            "unset it, or point it at the repository root");
      }
      return Optional.of(home);
    }
    for (Path dir = codeLocation == null ? null : codeLocation.toAbsolutePath().normalize();
        dir != null;
        dir = dir.getParent()) {
      if (isCheckout(dir)) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }

  /** Like {@link #find}, failing with what to do when there is no checkout. */
  public static Path require(Map<String, String> env, Path codeLocation) {
    return find(env, codeLocation)
        .orElseThrow(
            () ->
                KilnException.failed(
                    "cannot find the Kiln repository from " + codeLocation,
                    "run ./kiln from the repository root, or set " + ENV));
  }

  /** Where this CLI's classes were loaded from: its jar, or a classes folder. */
  public static Path codeLocation() {
    try {
      return Path.of(RepoHome.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      // No code source (unusual class loaders): fall back to the working directory.
      return Path.of("").toAbsolutePath();
    }
  }

  private static boolean isCheckout(Path dir) {
    return Files.isRegularFile(dir.resolve("mvnw")) && Files.isRegularFile(dir.resolve("pom.xml"));
  }
}
