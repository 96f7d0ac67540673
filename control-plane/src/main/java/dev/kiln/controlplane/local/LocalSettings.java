package dev.kiln.controlplane.local;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Local mode's settings ({@code kiln.local.*}), read only when {@code kiln.mode=local}. {@code kiln
 * local up} sets the home and the repository; everything else has a default.
 */
@ConfigMapping(prefix = "kiln.local")
public interface LocalSettings {

  /** The home folder: store, logs, objects, secrets ({@code ~/.kiln} unless set). */
  Optional<String> home();

  /**
   * Where to write the file that tells the CLI where everything is ({@code ~/.kiln/local.json}).
   */
  Optional<String> configFile();

  /** The Kiln checkout whose {@code worker/target} ranks run from ({@code KILN_HOME}). */
  Optional<String> repo();

  /** The class path of the built-in trainer's ranks; from {@link #repo()} when unset. */
  Optional<String> workerClasspath();

  /** The Java that runs ranks; this JVM's when unset. */
  Optional<String> java();

  /** The address the embedded S3 server and the rendezvous listen on. */
  @WithDefault("127.0.0.1")
  String host();

  /** The embedded S3 server's port. */
  @WithDefault("7071")
  int s3Port();

  /** How long a stopped rank gets between SIGTERM and SIGKILL. */
  @WithDefault("10s")
  Duration stopGrace();

  /** How often running jobs are looked at again (process exits raise no event). */
  @WithDefault("1s")
  Duration resync();

  /** The most of rank 0's log read for a container job's metrics regexes. */
  @WithDefault("1048576")
  int logMetricsBytes();
}
