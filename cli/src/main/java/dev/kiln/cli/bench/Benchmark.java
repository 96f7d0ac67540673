package dev.kiln.cli.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code kiln bench NAME}: the module that owns it and how to start its main.
 *
 * @param name what the user types after {@code kiln bench}
 * @param module the Maven module that builds it, e.g. {@code worker}
 * @param mainClass the benchmark's main class
 * @param classpath entries relative to the repository root (or absolute); an entry ending in {@code
 *     /*} is every jar in that folder, as {@code java -cp} reads it
 * @param jvmArgs options for the child JVM, before the main class
 * @param summary one line for {@code kiln bench --help}
 */
public record Benchmark(
    String name,
    String module,
    String mainClass,
    List<String> classpath,
    List<String> jvmArgs,
    String summary) {

  public Benchmark {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(mainClass, "mainClass");
    classpath = List.copyOf(classpath);
    jvmArgs = List.copyOf(jvmArgs);
    Objects.requireNonNull(summary, "summary");
    if (classpath.isEmpty()) {
      throw new IllegalArgumentException("benchmark " + name + " has an empty classpath");
    }
  }

  /** The classpath with every entry resolved against {@code home}, as {@code java -cp} takes it. */
  public List<String> resolvedClasspath(Path home) {
    return classpath.stream().map(entry -> resolve(home, entry)).toList();
  }

  /**
   * What is missing before this benchmark can run from {@code home}: a classpath folder, a jar
   * folder, or the main class in any classpath folder; empty when it is built.
   */
  public Optional<String> missing(Path home) {
    boolean mainFound = false;
    String classFile = mainClass.replace('.', '/') + ".class";
    for (String entry : classpath) {
      boolean wildcard = entry.endsWith("/*");
      Path dir = Path.of(resolve(home, wildcard ? entry.substring(0, entry.length() - 2) : entry));
      if (!Files.isDirectory(dir)) {
        return Optional.of(dir + " does not exist");
      }
      mainFound |= !wildcard && Files.isRegularFile(dir.resolve(classFile));
    }
    return mainFound
        ? Optional.empty()
        : Optional.of(mainClass + " is in none of " + String.join(", ", classpath));
  }

  private static String resolve(Path home, String entry) {
    if (entry.endsWith("/*")) {
      return home.resolve(entry.substring(0, entry.length() - 2)) + "/*";
    }
    return home.resolve(entry).toString();
  }
}
