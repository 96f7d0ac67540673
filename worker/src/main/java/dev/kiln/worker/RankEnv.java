package dev.kiln.worker;

import dev.kiln.worker.collective.CollectiveConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * The rank contract (DESIGN.md) as this rank received it in its environment.
 *
 * @param job {@code KILN_JOB}
 * @param namespace {@code KILN_NAMESPACE}
 * @param collective rank, world size, rendezvous address, job uid and attempt
 * @param specFile {@code KILN_SPEC_FILE}
 * @param controlPlane {@code KILN_CONTROL_PLANE} ({@code host:port}), or null: skip reporting
 * @param token {@code KILN_TOKEN}
 * @param metricsPort {@code KILN_METRICS_PORT}, or 0: no /metrics endpoint
 * @param collectiveBackend {@code KILN_COLLECTIVE_BACKEND}, or null: {@code nccl} with the cuda
 *     backend where NCCL loads and each rank has its own GPU, else {@code tcp}
 * @param computeBackend {@code KILN_COMPUTE_BACKEND}, or null: {@code cuda} when the spec asks for
 *     GPUs or a GPU is present, else {@code cpu}
 * @param threads {@code KILN_THREADS}, or 0: from {@code resources.cpu}, else all processors
 * @param env the whole environment (S3 endpoint and credentials are read from it)
 */
public record RankEnv(
    String job,
    String namespace,
    CollectiveConfig collective,
    Path specFile,
    String controlPlane,
    String token,
    int metricsPort,
    String collectiveBackend,
    String computeBackend,
    int threads,
    Map<String, String> env) {

  /** Reads the contract; a missing {@code KILN_SPEC_FILE} is an error. */
  public static RankEnv from(Map<String, String> env) {
    String spec = env.get("KILN_SPEC_FILE");
    if (spec == null || spec.isBlank()) {
      throw new JobSpec.SpecException("KILN_SPEC_FILE is not set: it must name the spec JSON");
    }
    return new RankEnv(
        env.getOrDefault("KILN_JOB", ""),
        env.getOrDefault("KILN_NAMESPACE", ""),
        CollectiveConfig.fromEnv(env),
        Path.of(spec),
        blankToNull(env.get("KILN_CONTROL_PLANE")),
        env.getOrDefault("KILN_TOKEN", ""),
        Integer.parseInt(env.getOrDefault("KILN_METRICS_PORT", "0").trim()),
        blankToNull(env.get("KILN_COLLECTIVE_BACKEND")),
        blankToNull(env.get("KILN_COMPUTE_BACKEND")),
        Integer.parseInt(env.getOrDefault("KILN_THREADS", "0").trim()),
        Map.copyOf(env));
  }

  public int rank() {
    return collective.rank();
  }

  public int worldSize() {
    return collective.worldSize();
  }

  public String jobUid() {
    return collective.jobUid();
  }

  public int attempt() {
    return collective.attempt();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
