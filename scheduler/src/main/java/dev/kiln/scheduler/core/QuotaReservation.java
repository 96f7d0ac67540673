package dev.kiln.scheduler.core;

import java.time.Instant;
import java.util.List;

/**
 * The same guarantee as {@link CapacityReservation}, for a queue's quota: once the first gang of a
 * queue waits on quota, later gangs of that queue may take quota only if they are certain to end
 * before the head's quota frees up, or if they leave enough for the head at that time. Without
 * this, a stream of small gangs could starve a large one in its own queue forever.
 */
final class QuotaReservation {
  private final Gang head;
  private final Instant now;
  private final Instant shadow;

  /** Quota free at the shadow time, minus the head and backfills still running then. */
  private long cpu;

  private long mem;
  private long gpu;

  private QuotaReservation(Gang head, Instant now, Instant shadow, long[] spare) {
    this.head = head;
    this.now = now;
    this.shadow = shadow;
    this.cpu = spare[0];
    this.mem = spare[1];
    this.gpu = spare[2];
  }

  /** {@code held}: the queue's gangs holding quota, sorted by {@link Held#byRelease}. */
  static QuotaReservation reserve(
      Gang head, Instant now, Resources quota, Resources used, List<Held> held) {
    Resources need = head.total();
    long[] spare = {
      quota.milliCpu() - used.milliCpu() - need.milliCpu(),
      quota.memoryBytes() - used.memoryBytes() - need.memoryBytes(),
      (long) quota.gpus() - used.gpus() - need.gpus()
    };
    Instant shadow = now;
    for (Held h : held) {
      if (spare[0] >= 0 && spare[1] >= 0 && spare[2] >= 0) {
        break;
      }
      Resources r = h.gang.total();
      spare[0] += r.milliCpu();
      spare[1] += r.memoryBytes();
      spare[2] += r.gpus();
      shadow = h.releasedBy;
    }
    return new QuotaReservation(head, now, shadow, spare);
  }

  Gang head() {
    return head;
  }

  boolean admits(Gang g) {
    if (endsBeforeShadow(g)) {
      return true;
    }
    Resources need = g.total();
    return need.milliCpu() <= cpu && need.memoryBytes() <= mem && need.gpus() <= gpu;
  }

  void admitted(Gang g) {
    if (!endsBeforeShadow(g)) {
      Resources need = g.total();
      cpu -= need.milliCpu();
      mem -= need.memoryBytes();
      gpu -= need.gpus();
    }
  }

  private boolean endsBeforeShadow(Gang g) {
    return shadow != null && g.maxRuntime().map(d -> !now.plus(d).isAfter(shadow)).orElse(false);
  }
}
