package dev.kiln.controlplane.kubernetes;

import dev.kiln.api.Kiln;
import java.util.List;

/**
 * Values the pure builders need from configuration.
 *
 * @param s3Credentials whether S3 keys are configured (and so present in each job's Secret)
 */
public record ClusterSettings(
    String schedulerName,
    String workerImage,
    String imagePullPolicy,
    List<String> stageInArgs,
    String serviceAccount,
    String controlPlaneAddress,
    String s3Endpoint,
    boolean s3Credentials,
    int masterPort,
    int metricsPort) {

  /** Settings for tests and the benchmark. */
  public static ClusterSettings defaults() {
    return new ClusterSettings(
        Kiln.SCHEDULER_NAME,
        "ghcr.io/kiln-dev/kiln-worker:0.1.0",
        "IfNotPresent",
        List.of("stage-in"),
        null,
        "kiln-control-plane.kiln.svc:8080",
        "http://minio.kiln.svc:9000",
        true,
        Kiln.MASTER_PORT,
        Kiln.METRICS_PORT);
  }
}
