package dev.kiln.controlplane.core;

import dev.kiln.api.Manifests;
import dev.kiln.api.spec.ContainerSpec;
import dev.kiln.api.spec.TrainingJobSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rank contract of DESIGN.md as plain environment values, shared by both shells. Secrets
 * ({@code KILN_TOKEN}, {@code AWS_*}) are not here: each shell injects them its own way.
 */
public final class RankContract {
  public static final String KILN_JOB = "KILN_JOB";
  public static final String KILN_NAMESPACE = "KILN_NAMESPACE";
  public static final String KILN_JOB_UID = "KILN_JOB_UID";
  public static final String KILN_ATTEMPT = "KILN_ATTEMPT";
  public static final String RANK = "RANK";
  public static final String WORLD_SIZE = "WORLD_SIZE";
  public static final String LOCAL_RANK = "LOCAL_RANK";
  public static final String MASTER_ADDR = "MASTER_ADDR";
  public static final String MASTER_PORT = "MASTER_PORT";
  public static final String KILN_SPEC_FILE = "KILN_SPEC_FILE";
  public static final String KILN_S3_ENDPOINT = "KILN_S3_ENDPOINT";
  public static final String KILN_CONTROL_PLANE = "KILN_CONTROL_PLANE";
  public static final String KILN_METRICS_PORT = "KILN_METRICS_PORT";
  public static final String KILN_TOKEN = "KILN_TOKEN";
  public static final String AWS_ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
  public static final String AWS_SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
  public static final String KILN_HYPERPARAMETERS = "KILN_HYPERPARAMETERS";
  public static final String KILN_MODEL_DIR = "KILN_MODEL_DIR";
  public static final String KILN_CHECKPOINT_DIR = "KILN_CHECKPOINT_DIR";
  public static final String KILN_CHANNEL_PREFIX = "KILN_CHANNEL_";

  private RankContract() {}

  /**
   * Where one rank runs and what it reaches.
   *
   * @param rankHosts every rank's host name, rank order (for {@code TF_CONFIG})
   * @param dataDir the folder under which a container finds its channels, model and checkpoints
   */
  public record Rank(
      String job,
      String namespace,
      String jobUid,
      int attempt,
      int rank,
      int worldSize,
      List<String> rankHosts,
      int masterPort,
      String specFile,
      String s3Endpoint,
      String controlPlane,
      int metricsPort,
      String dataDir) {
    public String masterAddr() {
      return rankHosts.get(0);
    }
  }

  /** The environment of one rank, in a stable order. */
  public static Map<String, String> env(Rank r, TrainingJobSpec spec) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(KILN_JOB, r.job());
    env.put(KILN_NAMESPACE, r.namespace());
    env.put(KILN_JOB_UID, r.jobUid());
    env.put(KILN_ATTEMPT, Integer.toString(r.attempt()));
    env.put(RANK, Integer.toString(r.rank()));
    env.put(WORLD_SIZE, Integer.toString(r.worldSize()));
    env.put(LOCAL_RANK, "0");
    env.put(MASTER_ADDR, r.masterAddr());
    env.put(MASTER_PORT, Integer.toString(r.masterPort()));
    env.put(KILN_SPEC_FILE, r.specFile());
    env.put(KILN_S3_ENDPOINT, r.s3Endpoint());
    env.put(KILN_CONTROL_PLANE, r.controlPlane());
    env.put(KILN_METRICS_PORT, Integer.toString(r.metricsPort()));
    if (spec.container != null) {
      container(env, r, spec);
    }
    return env;
  }

  /** The folder a channel is downloaded to. */
  public static String channelDir(String dataDir, String channel) {
    return dataDir + "/channels/" + channel;
  }

  public static String channelVariable(String channel) {
    return KILN_CHANNEL_PREFIX + channel.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  private static void container(Map<String, String> env, Rank r, TrainingJobSpec spec) {
    Map<String, String> hyperparameters =
        spec.hyperparameters == null ? Map.of() : new TreeMap<>(spec.hyperparameters);
    env.put(KILN_HYPERPARAMETERS, Manifests.toJson(hyperparameters));
    if (spec.inputs != null) {
      new TreeMap<>(spec.inputs)
          .keySet()
          .forEach(name -> env.put(channelVariable(name), channelDir(r.dataDir(), name)));
    }
    env.put(KILN_MODEL_DIR, r.dataDir() + "/model");
    env.put(KILN_CHECKPOINT_DIR, r.dataDir() + "/checkpoints");
    ContainerSpec.Framework framework =
        spec.container.framework == null
            ? ContainerSpec.Framework.GENERIC
            : spec.container.framework;
    String rank = Integer.toString(r.rank());
    String size = Integer.toString(r.worldSize());
    String port = Integer.toString(r.masterPort());
    switch (framework) {
      case PYTORCH -> {
        // torchrun reads PET_*; one process per rank, Kiln's ranks are its nodes.
        env.put("PET_NNODES", size);
        env.put("PET_NODE_RANK", rank);
        env.put("PET_NPROC_PER_NODE", "1");
        env.put("PET_MASTER_ADDR", r.masterAddr());
        env.put("PET_MASTER_PORT", port);
        env.put("GROUP_RANK", rank);
        env.put("LOCAL_WORLD_SIZE", "1");
      }
      case TENSORFLOW -> env.put("TF_CONFIG", tfConfig(r));
      case JAX -> {
        env.put("JAX_COORDINATOR_ADDRESS", r.masterAddr() + ":" + port);
        env.put("JAX_NUM_PROCESSES", size);
        env.put("JAX_PROCESS_ID", rank);
      }
      case GENERIC -> {}
    }
    if (spec.container.env != null) {
      // The user's variables never override the contract.
      new TreeMap<>(spec.container.env).forEach(env::putIfAbsent);
    }
  }

  private static String tfConfig(Rank r) {
    List<String> workers = r.rankHosts().stream().map(h -> h + ":" + r.masterPort()).toList();
    Map<String, Object> task = new LinkedHashMap<>();
    task.put("type", "worker");
    task.put("index", r.rank());
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("cluster", Map.of("worker", workers));
    config.put("task", task);
    return Manifests.toJson(config);
  }
}
