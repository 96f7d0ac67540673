package dev.kiln.controlplane.admission;

import dev.kiln.api.status.QueueStatus;
import dev.kiln.scheduler.core.Admission;
import dev.kiln.scheduler.core.Gang;
import dev.kiln.scheduler.core.JobId;
import dev.kiln.scheduler.core.PendingGang;
import dev.kiln.scheduler.core.Preemption;
import dev.kiln.scheduler.core.Resources;
import dev.kiln.scheduler.core.SchedulingDecision;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Each queue's status after a cycle: gangs admitted (holding resources) and pending, and what the
 * admitted ones use. Pure.
 */
final class QueueUsage {
  private QueueUsage() {}

  /** Per queue name, for every queue named by a queue object or a job. */
  static Map<String, QueueStatus> of(
      CyclePlan plan, SchedulingDecision decision, List<String> queueNames) {
    Map<String, Tally> tallies = new TreeMap<>();
    queueNames.forEach(q -> tallies.put(q, new Tally()));
    Set<JobId> evicted = new HashSet<>();
    for (Preemption p : decision.preempted()) {
      evicted.add(p.victim().gang().job());
    }
    for (CyclePlan.Holding h : plan.holdings) {
      Gang g = h.running().gang();
      if (!evicted.contains(g.job())) {
        tallies.computeIfAbsent(g.queue(), q -> new Tally()).admit(g);
      }
    }
    for (Admission a : decision.admitted()) {
      tallies.computeIfAbsent(a.gang().queue(), q -> new Tally()).admit(a.gang());
    }
    for (PendingGang p : decision.pending()) {
      tallies.computeIfAbsent(p.gang().queue(), q -> new Tally()).pending++;
    }
    Map<String, QueueStatus> out = new TreeMap<>();
    tallies.forEach((q, t) -> out.put(q, t.status()));
    return out;
  }

  private static final class Tally {
    int admitted;
    int pending;
    Resources used = Resources.ZERO;

    void admit(Gang g) {
      admitted++;
      used = used.plus(g.total());
    }

    QueueStatus status() {
      QueueStatus s = new QueueStatus();
      s.admitted = admitted;
      s.pending = pending;
      s.used = new QueueStatus.Usage();
      s.used.gpu = used.gpus();
      s.used.cpu = cpu(used.milliCpu());
      s.used.memory = memory(used.memoryBytes());
      return s;
    }
  }

  /** Kubernetes quantity text: {@code 3}, {@code 1500m}. */
  static String cpu(long milli) {
    return milli % 1000 == 0 ? Long.toString(milli / 1000) : milli + "m";
  }

  /** Kubernetes quantity text in the largest binary unit that divides it: {@code 2Gi}. */
  static String memory(long bytes) {
    String[] units = {"Ti", "Gi", "Mi", "Ki"};
    long[] sizes = {1L << 40, 1L << 30, 1L << 20, 1L << 10};
    for (int i = 0; i < units.length; i++) {
      if (bytes != 0 && bytes % sizes[i] == 0) {
        return bytes / sizes[i] + units[i];
      }
    }
    return Long.toString(bytes);
  }
}
