package dev.kiln.scheduler.core;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The scheduling core: admission (queues, quotas, priority, fair share, backfill), all-or-nothing
 * gang placement over a two-level topology, and preemption of whole gangs. Pure: no I/O, time from
 * the injected clock, and the same input always yields the same decision.
 *
 * <p>Call {@link #decide} once per cycle with everything waiting; apply its preemptions, then bind
 * its admissions; the next cycle's snapshot lists the admitted gangs as running. Keeping the same
 * {@link RunningGang} instances across cycles, listed by release time (start plus maximum runtime),
 * makes a cycle cheapest; any order gives the same decision.
 */
public final class GangScheduler {
  private final Clock clock;

  public GangScheduler(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Decides which of {@code pending} start now and where, which running gangs to evict for them,
   * and why each other gang waits. The order of {@code pending} does not matter.
   *
   * @throws IllegalArgumentException if a job is pending twice, or pending and running
   */
  public SchedulingDecision decide(ClusterSnapshot snapshot, List<Gang> pending) {
    return new SchedulingCycle(snapshot, clock.instant()).run(pending);
  }

  /**
   * Places an already admitted gang on the snapshot's free capacity, ignoring queues and priority:
   * the node of every rank, or empty when not every rank fits.
   */
  public Optional<List<String>> place(ClusterSnapshot snapshot, Gang gang) {
    Topology t = snapshot.topology();
    Capacity free = Capacity.initial(t, snapshot.externalUsage());
    for (RunningGang r : snapshot.running()) {
      for (String node : r.rankNodes()) {
        int i = t.indexOf(node);
        if (i >= 0) {
          free.take(i, r.gang().perRank(), 1);
        }
      }
    }
    int[] nodes = new Placer(t).place(free, gang.perRank(), gang.ranks());
    if (nodes == null) {
      return Optional.empty();
    }
    List<String> names = new ArrayList<>(nodes.length);
    for (int n : nodes) {
      names.add(t.nodeAt(n).name());
    }
    return Optional.of(names);
  }
}
