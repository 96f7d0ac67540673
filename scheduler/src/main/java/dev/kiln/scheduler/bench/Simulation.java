package dev.kiln.scheduler.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A discrete-event simulation of a stream of gangs: arrivals, completions, and one scheduling cycle
 * after each instant with events. Subclasses are the schedulers under test; they report what they
 * bind and unbind, which becomes the bind log. A gang runs (toward completion) only once every rank
 * is bound; an evicted gang resumes from its last checkpoint.
 */
abstract class Simulation {
  private static final long CHECKPOINT_MILLIS = 10 * 60 * 1000;
  private static final int ARRIVAL = 0;
  private static final int COMPLETION = 1;

  private record Event(long time, long seq, int type, int job, int attempt) {}

  protected final Workload workload;
  private final PriorityQueue<Event> events =
      new PriorityQueue<>(Comparator.comparingLong(Event::time).thenComparingLong(Event::seq));
  private final List<BindEvent> log = new ArrayList<>();
  private final int[] attempt;
  private final long[] remaining;
  private final long[] startedAt;
  private final long[] firstStart;
  private long seq;
  private long now;
  private int cycles;
  private int completed;
  private int evictions;

  /** What a run produced, besides its bind log. */
  record Result(
      List<BindEvent> log,
      double wallSeconds,
      double cpuSeconds,
      long podsBound,
      int cycles,
      int completed,
      int evictions,
      double meanWaitMinutes) {}

  Simulation(Workload workload) {
    this.workload = workload;
    int n = workload.jobs().size();
    attempt = new int[n];
    remaining = new long[n];
    startedAt = new long[n];
    firstStart = new long[n];
    Arrays.fill(firstStart, -1);
  }

  Result run() {
    for (Workload.Job j : workload.jobs()) {
      remaining[j.index()] = j.runtimeMillis();
      push(j.arrivalMillis(), ARRIVAL, j.index(), 0);
    }
    long podsBound = 0;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    while (!events.isEmpty()) {
      now = events.peek().time();
      while (!events.isEmpty() && events.peek().time() == now) {
        Event e = events.poll();
        if (e.type() == ARRIVAL) {
          arrived(workload.jobs().get(e.job()));
        } else if (e.attempt() == attempt[e.job()]) {
          completed++;
          finished(workload.jobs().get(e.job()));
        }
      }
      cycles++;
      schedule(now);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
    for (BindEvent e : log) {
      podsBound += e.kind() == BindEvent.Kind.BIND ? 1 : 0;
    }
    log.add(new BindEvent(now, BindEvent.Kind.END, "", "", ""));
    return new Result(log, wall, cpu, podsBound, cycles, completed, evictions, meanWaitMinutes());
  }

  /** A job was submitted. */
  protected abstract void arrived(Workload.Job job);

  /** A running job completed; the subclass releases and unbinds its pods. */
  protected abstract void finished(Workload.Job job);

  /** One scheduling cycle at simulated time {@code now}. */
  protected abstract void schedule(long now);

  protected final void bound(Workload.Job job, int rank, String node) {
    log.add(new BindEvent(now, BindEvent.Kind.BIND, job.id().toString(), job.pod(rank), node));
  }

  protected final void unbound(Workload.Job job, int rank, String node) {
    log.add(new BindEvent(now, BindEvent.Kind.UNBIND, job.id().toString(), job.pod(rank), node));
  }

  /** Every rank is bound: the job starts running toward completion. */
  protected final void started(Workload.Job job) {
    int i = job.index();
    startedAt[i] = now;
    if (firstStart[i] < 0) {
      firstStart[i] = now;
    }
    push(now + remaining[i], COMPLETION, i, attempt[i]);
  }

  /**
   * The job was evicted (its pods already unbound): it keeps the work up to its last checkpoint.
   */
  protected final void evicted(Workload.Job job) {
    int i = job.index();
    long done = (now - startedAt[i]) / CHECKPOINT_MILLIS * CHECKPOINT_MILLIS;
    remaining[i] = Math.max(1, remaining[i] - done);
    attempt[i]++;
    evictions++;
  }

  private void push(long time, int type, int job, int att) {
    events.add(new Event(time, seq++, type, job, att));
  }

  private double meanWaitMinutes() {
    double sum = 0;
    int n = 0;
    for (Workload.Job j : workload.jobs()) {
      if (firstStart[j.index()] >= 0) {
        sum += firstStart[j.index()] - j.arrivalMillis();
        n++;
      }
    }
    return n == 0 ? 0 : sum / n / 60_000.0;
  }

  int completedCount() {
    return completed;
  }
}
