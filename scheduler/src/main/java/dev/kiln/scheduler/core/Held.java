package dev.kiln.scheduler.core;

import java.time.Instant;

/** A gang holding resources during a cycle: running at the start, or admitted in this cycle. */
final class Held {
  final Gang gang;

  /** The snapshot's entry; {@code null} for a gang admitted in this cycle (never a victim). */
  final RunningGang running;

  final int[] nodes;

  /** The latest instant it releases its resources, or {@code null} when unknown. */
  final Instant releasedBy;

  boolean evicted;

  /** GPUs of the whole gang, and scratch fields for {@link Preemptor}'s search. */
  final int gpus;

  int order;
  int stamp;

  // releasedBy as primitives: sorting by release runs every cycle.
  private final long releaseSecond;
  private final int releaseNano;

  Held(Gang gang, RunningGang running, int[] nodes, Instant releasedBy) {
    this.gang = gang;
    this.running = running;
    this.nodes = nodes;
    this.releasedBy = releasedBy;
    this.gpus = gang.total().gpus();
    this.releaseSecond = releasedBy == null ? Long.MAX_VALUE : releasedBy.getEpochSecond();
    this.releaseNano = releasedBy == null ? Integer.MAX_VALUE : releasedBy.getNano();
  }

  /** Orders by release: known instants first, earliest first; then by job for determinism. */
  static int byRelease(Held a, Held b) {
    int c = Long.compare(a.releaseSecond, b.releaseSecond);
    if (c == 0) {
      c = Integer.compare(a.releaseNano, b.releaseNano);
    }
    return c != 0 ? c : a.gang.job().compareTo(b.gang.job());
  }
}
