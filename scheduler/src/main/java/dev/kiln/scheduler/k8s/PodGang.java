package dev.kiln.scheduler.k8s;

import dev.kiln.scheduler.core.Gang;
import dev.kiln.scheduler.core.JobId;
import dev.kiln.scheduler.core.Resources;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pods of one job attempt that ask for {@code kiln-scheduler}, grouped by the labels the
 * control plane sets. Pods without them form a gang of one.
 *
 * @param key {@code namespace/job#attempt}
 * @param size how many pods the gang will have ({@code kiln.dev/gang-size})
 * @param pods the pods that exist now, in rank order
 */
record PodGang(String key, String namespace, String job, int size, List<Pod> pods) {
  static final String SCHEDULER_NAME = "kiln-scheduler";
  static final String JOB_LABEL = "kiln.dev/job";
  static final String ATTEMPT_LABEL = "kiln.dev/attempt";
  static final String GANG_SIZE_LABEL = "kiln.dev/gang-size";
  static final String RANK_LABEL = "kiln.dev/rank";

  /**
   * Rank label when present, else name, shorter names first so {@code x-2} sorts before {@code
   * x-10}.
   */
  private static final Comparator<Pod> RANK_ORDER =
      Comparator.comparingLong(PodGang::rank)
          .thenComparingInt((Pod p) -> p.getMetadata().getName().length())
          .thenComparing(p -> p.getMetadata().getName());

  /** Groups the live pods that name kiln-scheduler; deterministic order by key. */
  static List<PodGang> group(List<Pod> pods) {
    Map<String, List<Pod>> byKey = new java.util.TreeMap<>();
    Map<String, Integer> sizes = new LinkedHashMap<>();
    for (Pod p : pods) {
      if (!SCHEDULER_NAME.equals(p.getSpec().getSchedulerName()) || finished(p)) {
        continue;
      }
      Map<String, String> labels = labels(p);
      String ns = p.getMetadata().getNamespace();
      String job = labels.getOrDefault(JOB_LABEL, p.getMetadata().getName());
      String key = ns + "/" + job + "#" + labels.getOrDefault(ATTEMPT_LABEL, "0");
      byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
      sizes.merge(key, parseSize(labels.get(GANG_SIZE_LABEL)), Math::max);
    }
    List<PodGang> out = new ArrayList<>();
    byKey.forEach(
        (key, members) -> {
          members.sort(RANK_ORDER);
          Pod first = members.get(0);
          String job = labels(first).getOrDefault(JOB_LABEL, first.getMetadata().getName());
          out.add(
              new PodGang(
                  key,
                  first.getMetadata().getNamespace(),
                  job,
                  sizes.get(key),
                  List.copyOf(members)));
        });
    return out;
  }

  boolean complete() {
    return pods.size() >= size;
  }

  List<Pod> bound() {
    return pods.stream().filter(PodGang::isBound).toList();
  }

  List<Pod> unbound() {
    return pods.stream().filter(p -> !isBound(p)).toList();
  }

  /** The gang as the core places it: each rank asks for the most any of the pods asks for. */
  Gang toCore() {
    Resources perRank = Resources.ZERO;
    int priority = Integer.MIN_VALUE;
    for (Pod p : pods) {
      Resources r = PodResources.requests(p);
      perRank =
          new Resources(
              Math.max(perRank.milliCpu(), r.milliCpu()),
              Math.max(perRank.memoryBytes(), r.memoryBytes()),
              Math.max(perRank.gpus(), r.gpus()));
      priority =
          Math.max(priority, p.getSpec().getPriority() == null ? 0 : p.getSpec().getPriority());
    }
    return Gang.builder(namespace + "/" + job)
        .priority(priority)
        .submitted(created())
        .ranks(pods.size())
        .perRank(perRank)
        .build();
  }

  int priority() {
    return toCore().priority();
  }

  Instant created() {
    String ts = pods.get(0).getMetadata().getCreationTimestamp();
    return ts == null ? Instant.EPOCH : Instant.parse(ts);
  }

  JobId jobId() {
    return new JobId(namespace, job);
  }

  static boolean isBound(Pod p) {
    String node = p.getSpec().getNodeName();
    return node != null && !node.isEmpty();
  }

  static boolean finished(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  static String podKey(Pod p) {
    return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
  }

  private static Map<String, String> labels(Pod p) {
    Map<String, String> l = p.getMetadata().getLabels();
    return l == null ? Map.of() : l;
  }

  private static long rank(Pod p) {
    try {
      return Long.parseLong(labels(p).getOrDefault(RANK_LABEL, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static int parseSize(String s) {
    try {
      return s == null ? 1 : Math.max(1, Integer.parseInt(s));
    } catch (NumberFormatException e) {
      return 1;
    }
  }
}
