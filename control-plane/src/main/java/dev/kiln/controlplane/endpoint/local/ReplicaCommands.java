package dev.kiln.controlplane.endpoint.local;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Where local mode runs endpoint processes from: the endpoint-server's packaged app in the checkout
 * ({@code endpoint-server/target/quarkus-app}). Replicas run its jar; the router runs its main
 * class with the app's class path, passed in {@code CLASSPATH} (ONNX Runtime crashes JVMs with very
 * long command lines).
 */
record ReplicaCommands(String java, Path app) {

  static ReplicaCommands from(Config config) {
    Path repo =
        config
            .getOptionalValue("kiln.local.repo", String.class)
            .or(() -> Optional.ofNullable(System.getenv("KILN_HOME")))
            .map(Path::of)
            .or(ReplicaCommands::fromOwnJar)
            .orElse(Path.of("").toAbsolutePath());
    String java =
        config
            .getOptionalValue("kiln.local.java", String.class)
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    return new ReplicaCommands(java, repo.resolve("endpoint-server/target/quarkus-app"));
  }

  /** {@code <repo>/control-plane/target/quarkus-app/quarkus-run.jar} when run from the build. */
  private static Optional<Path> fromOwnJar() {
    String cp = System.getProperty("java.class.path", "");
    if (!cp.endsWith("quarkus-run.jar") || cp.contains(File.pathSeparator)) {
      return Optional.empty();
    }
    Path jar = Path.of(cp).toAbsolutePath();
    return Optional.ofNullable(jar.getParent())
        .map(Path::getParent)
        .map(Path::getParent)
        .map(Path::getParent);
  }

  /** Fails with what to do when the endpoint server is not built. */
  void check() {
    if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
      throw new IllegalStateException(
          "the endpoint server is not built (no "
              + app.resolve("quarkus-run.jar")
              + "); build it with: ./mvnw -B install -DskipTests -pl endpoint-server -am");
    }
  }

  List<String> replica() {
    return List.of(
        java,
        "--add-modules",
        "jdk.incubator.vector",
        "-Xmx384m",
        "-XX:+UseSerialGC",
        "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
        "-jar",
        app.resolve("quarkus-run.jar").toString());
  }

  List<String> router() {
    return List.of(java, "-Xmx256m", "dev.kiln.endpoint.router.RouterMain");
  }

  String routerClasspath() {
    return String.join(
        File.pathSeparator,
        app.resolve("app") + "/*",
        app.resolve("lib/main") + "/*",
        app.resolve("lib/boot") + "/*");
  }
}
