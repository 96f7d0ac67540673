package dev.kiln.worker.collective;

import java.time.Duration;
import java.util.Map;

/**
 * Who this rank is and where the gang meets, from the rank contract (DESIGN.md).
 *
 * @param jobUid {@code KILN_JOB_UID}; every rank of a gang must agree
 * @param attempt {@code KILN_ATTEMPT}; rank 0 refuses peers of another attempt
 * @param rank {@code RANK}
 * @param worldSize {@code WORLD_SIZE}
 * @param masterAddr {@code MASTER_ADDR}, where rank 0 listens
 * @param masterPort {@code MASTER_PORT}
 * @param timeout {@code KILN_COLLECTIVE_TIMEOUT_SECONDS} (default 60): a peer silent this long
 *     during an operation, or unresponsive on the control channel, fails every rank
 * @param rendezvousTimeout {@code KILN_RENDEZVOUS_TIMEOUT_SECONDS} (default 300): how long ranks
 *     wait for the whole gang to join
 * @param chunkBytes {@code KILN_COLLECTIVE_CHUNK_BYTES} (default 1 MiB): pipelining granularity
 */
public record CollectiveConfig(
    String jobUid,
    int attempt,
    int rank,
    int worldSize,
    String masterAddr,
    int masterPort,
    Duration timeout,
    Duration rendezvousTimeout,
    int chunkBytes) {

  public static final int DEFAULT_CHUNK_BYTES = 1024 * 1024;

  public CollectiveConfig {
    if (worldSize < 1) {
      throw new IllegalArgumentException("WORLD_SIZE must be >= 1, got " + worldSize);
    }
    if (rank < 0 || rank >= worldSize) {
      throw new IllegalArgumentException("RANK must be in [0, " + worldSize + "), got " + rank);
    }
    if (masterPort < 0 || masterPort > 65535) {
      throw new IllegalArgumentException("MASTER_PORT out of range: " + masterPort);
    }
    if (chunkBytes < 64 || chunkBytes % 4 != 0) {
      throw new IllegalArgumentException("chunk bytes must be a multiple of 4, >= 64");
    }
    jobUid = jobUid == null ? "" : jobUid;
  }

  /** Reads the rank contract from the environment map (e.g. {@code System.getenv()}). */
  public static CollectiveConfig fromEnv(Map<String, String> env) {
    return new CollectiveConfig(
        env.getOrDefault("KILN_JOB_UID", ""),
        intEnv(env, "KILN_ATTEMPT", 0),
        intEnv(env, "RANK", 0),
        intEnv(env, "WORLD_SIZE", 1),
        env.getOrDefault("MASTER_ADDR", "127.0.0.1"),
        intEnv(env, "MASTER_PORT", 29500),
        Duration.ofMillis((long) (1000 * doubleEnv(env, "KILN_COLLECTIVE_TIMEOUT_SECONDS", 60))),
        Duration.ofMillis((long) (1000 * doubleEnv(env, "KILN_RENDEZVOUS_TIMEOUT_SECONDS", 300))),
        intEnv(env, "KILN_COLLECTIVE_CHUNK_BYTES", DEFAULT_CHUNK_BYTES));
  }

  private static int intEnv(Map<String, String> env, String name, int dflt) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + v + "'");
    }
  }

  private static double doubleEnv(Map<String, String> env, String name, double dflt) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      double d = Double.parseDouble(v.trim());
      if (!(d > 0)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a positive number, got '" + v + "'");
    }
  }
}
