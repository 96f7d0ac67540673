package dev.kiln.controlplane.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The control plane's own settings ({@code kiln.*}; each also reads from the environment, e.g.
 * {@code KILN_MODE}, {@code KILN_SCHEDULER_NAME}, {@code KILN_WORKER_IMAGE}).
 */
@ConfigMapping(prefix = "kiln")
public interface KilnConfig {

  /**
   * {@code cluster} (the jar's default): the Kubernetes operator runs; {@code local}: it is off.
   */
  @WithDefault("cluster")
  Mode mode();

  /**
   * The key that signs per-job tokens ({@code KILN_TOKEN_KEY}); at least 16 bytes. Unset: a random
   * key per process, so tokens of running jobs stop working when the control plane restarts.
   */
  Optional<String> tokenKey();

  /** The scheduler that places rank pods. */
  @WithDefault("kiln-scheduler")
  String schedulerName();

  /**
   * {@code host:port} of the control plane's gRPC API as ranks reach it ({@code
   * KILN_CONTROL_PLANE}).
   */
  @WithDefault("kiln-control-plane.kiln.svc:8080")
  String controlPlaneAddress();

  Training training();

  S3 s3();

  Worker worker();

  StartupCheck startupCheck();

  LogMetrics logMetrics();

  /** Where the control plane runs its workloads. */
  enum Mode {
    cluster,
    local
  }

  /** The reconcile core's timing. */
  interface Training {
    @WithDefault("10s")
    Duration restartBackoff();

    @WithDefault("5m")
    Duration maxRestartBackoff();

    /** How soon to look again while earlier attempts' ranks terminate. */
    @WithDefault("5s")
    Duration poll();
  }

  /** Object storage as ranks reach it; the keys are copied into each job's Secret. */
  interface S3 {
    @WithDefault("http://minio.kiln.svc:9000")
    String endpoint();

    Optional<String> accessKey();

    Optional<String> secretKey();
  }

  /** The image and settings of rank pods. */
  interface Worker {
    /** The image that runs the built-in trainer, and stages container jobs' data in. */
    @WithDefault("ghcr.io/kiln-dev/kiln-worker:0.1.0")
    String image();

    @WithDefault("IfNotPresent")
    String imagePullPolicy();

    /** Arguments of the worker image's init container that downloads a container job's inputs. */
    @WithDefault("stage-in")
    List<String> stageInArgs();

    /** The service account of rank pods; the namespace's default when unset. */
    Optional<String> serviceAccount();
  }

  /** The check at start that the CRDs are installed and permissions suffice. */
  interface StartupCheck {
    @WithDefault("true")
    boolean enabled();

    /** Exit at start when a Kiln CRD is missing (the operator cannot work without them). */
    @WithDefault("true")
    boolean exitOnMissingCrds();
  }

  /** How often a running container job's rank 0 log is read for its {@code metrics} regexes. */
  @WithDefault("30s")
  Duration logMetricsInterval();

  /** Reading container jobs' metrics from rank 0's log. */
  interface LogMetrics {
    /** The most of a log read at a time, from its end. */
    @WithDefault("8388608")
    long maxBytes();
  }
}
