package dev.kiln.scheduler.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A gang whose pods are bound (or reserved) on nodes. A value: equal when gang, nodes and start are
 * equal. Callers keep the same instance across cycles, which lets the scheduler remember the node
 * indices it resolved for a topology instead of looking every name up again.
 */
public final class RunningGang {
  private final Gang gang;
  private final List<String> rankNodes;
  private final Instant started;
  // Benign race: both fields are written together from one immutable resolution.
  private volatile Resolved resolved;

  private record Resolved(Topology topology, int[] nodes) {}

  /**
   * @param rankNodes the node of each rank, indexed by rank
   * @param started when the gang was bound; with {@link Gang#maxRuntime()} it bounds the release
   */
  public RunningGang(Gang gang, List<String> rankNodes, Instant started) {
    this.gang = Objects.requireNonNull(gang, "gang");
    this.started = Objects.requireNonNull(started, "started");
    this.rankNodes = List.copyOf(rankNodes);
    if (this.rankNodes.size() != gang.ranks()) {
      throw new IllegalArgumentException(
          gang.job() + " has " + gang.ranks() + " ranks but " + rankNodes.size() + " nodes");
    }
  }

  public Gang gang() {
    return gang;
  }

  /** The node of each rank, indexed by rank. */
  public List<String> rankNodes() {
    return rankNodes;
  }

  public Instant started() {
    return started;
  }

  /** The latest instant this gang still holds resources, when its maximum runtime is known. */
  public Optional<Instant> releasedBy() {
    return gang.maxRuntime().map(started::plus);
  }

  /** Node indices of the ranks in {@code t}; ranks on nodes {@code t} lacks are left out. */
  int[] nodeIndices(Topology t) {
    Resolved r = resolved;
    if (r == null || r.topology() != t) {
      int[] nodes = rankNodes.stream().mapToInt(t::indexOf).filter(i -> i >= 0).toArray();
      r = new Resolved(t, nodes);
      resolved = r;
    }
    return r.nodes();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RunningGang other
        && gang.equals(other.gang)
        && rankNodes.equals(other.rankNodes)
        && started.equals(other.started);
  }

  @Override
  public int hashCode() {
    return Objects.hash(gang, rankNodes, started);
  }

  @Override
  public String toString() {
    return "RunningGang[gang=" + gang + ", rankNodes=" + rankNodes + ", started=" + started + "]";
  }
}
