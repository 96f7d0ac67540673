package dev.kiln.scheduler.bench;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Audits a run from its bind log alone, trusting nothing the scheduler or simulator reports.
 *
 * <p>A gang is <em>partial</em> if, once all events of some instant are applied, some but not all
 * of its pods are bound. A <em>deadlock</em> is a gang still partial when the log ends: its bound
 * pods hold resources that nothing will ever release. Utilization is GPUs bound, averaged over the
 * run; useful utilization counts only GPUs of gangs with every pod bound.
 */
public final class BindLogChecker {

  /** What the checker knows about a gang besides the log: its size and GPUs per pod. */
  public record GangInfo(int size, int gpusPerPod) {}

  /** The audit's findings. */
  public record Report(
      int partialGangs,
      int deadlocks,
      double gpuUtilization,
      double usefulGpuUtilization,
      long podsBound,
      int invalidEvents,
      int overcommittedNodes) {}

  private final Map<String, GangInfo> gangs;
  private final Map<String, Integer> nodeGpus;
  private final Map<String, Set<String>> bound = new HashMap<>();
  private final Map<String, String> nodeOfPod = new HashMap<>();
  private final Map<String, Integer> gpusOnNode = new HashMap<>();
  private final Set<String> partial = new HashSet<>();
  private final Set<String> overcommitted = new HashSet<>();
  private final Set<String> touched = new HashSet<>();
  private long podsBound;
  private int invalid;
  private long allocated;
  private long useful;

  private BindLogChecker(Map<String, GangInfo> gangs, Map<String, Integer> nodeGpus) {
    this.gangs = gangs;
    this.nodeGpus = nodeGpus;
  }

  /** {@code nodeGpus}: allocatable GPUs per node, to catch a node given more than it has. */
  public static Report check(
      List<BindEvent> log, Map<String, GangInfo> gangs, Map<String, Integer> nodeGpus) {
    return new BindLogChecker(gangs, nodeGpus).run(log);
  }

  private Report run(List<BindEvent> log) {
    double allocatedArea = 0;
    double usefulArea = 0;
    long start = log.isEmpty() ? 0 : log.get(0).timeMillis();
    long last = start;
    for (int i = 0; i < log.size(); i++) {
      BindEvent e = log.get(i);
      allocatedArea += (double) allocated * (e.timeMillis() - last);
      usefulArea += (double) useful * (e.timeMillis() - last);
      last = e.timeMillis();
      if (e.kind() == BindEvent.Kind.END) {
        break;
      }
      apply(e);
      if (i + 1 == log.size() || log.get(i + 1).timeMillis() != e.timeMillis()) {
        endOfInstant();
      }
    }
    int deadlocks = 0;
    for (Map.Entry<String, Set<String>> b : bound.entrySet()) {
      int n = b.getValue().size();
      if (n > 0 && n < gangs.get(b.getKey()).size()) {
        deadlocks++;
      }
    }
    long totalGpus = nodeGpus.values().stream().mapToLong(Integer::longValue).sum();
    double span = (double) (last - start) * totalGpus;
    return new Report(
        partial.size(),
        deadlocks,
        span > 0 ? allocatedArea / span : 0,
        span > 0 ? usefulArea / span : 0,
        podsBound,
        invalid,
        overcommitted.size());
  }

  private void apply(BindEvent e) {
    GangInfo info = gangs.get(e.job());
    if (info == null) {
      invalid++;
      return;
    }
    Set<String> pods = bound.computeIfAbsent(e.job(), j -> new HashSet<>());
    String key = e.job() + "/" + e.pod();
    boolean wasWhole = pods.size() == info.size();
    int gpus = info.gpusPerPod();
    if (e.kind() == BindEvent.Kind.BIND) {
      if (nodeOfPod.putIfAbsent(key, e.node()) != null) {
        invalid++;
        return;
      }
      pods.add(e.pod());
      podsBound++;
      allocated += gpus;
      if (gpusOnNode.merge(e.node(), gpus, Integer::sum) > nodeGpus.getOrDefault(e.node(), 0)) {
        overcommitted.add(e.node());
      }
    } else {
      if (!e.node().equals(nodeOfPod.get(key))) {
        invalid++;
        return;
      }
      nodeOfPod.remove(key);
      pods.remove(e.pod());
      allocated -= gpus;
      gpusOnNode.merge(e.node(), -gpus, Integer::sum);
    }
    boolean isWhole = pods.size() == info.size();
    if (wasWhole != isWhole) {
      useful += (isWhole ? 1L : -1L) * info.size() * gpus;
    }
    touched.add(e.job());
  }

  private void endOfInstant() {
    for (String job : touched) {
      int n = bound.get(job).size();
      if (n > 0 && n < gangs.get(job).size()) {
        partial.add(job);
      }
    }
    touched.clear();
  }
}
