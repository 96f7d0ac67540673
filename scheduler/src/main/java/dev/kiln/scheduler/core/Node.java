package dev.kiln.scheduler.core;

import java.util.Objects;

/**
 * A node as the scheduler sees it: what it can allocate and where it sits.
 *
 * @param zone the outer topology level (e.g. {@code topology.kubernetes.io/zone})
 * @param rack the inner level within the zone (a rack, NVLink/InfiniBand block or switch)
 */
public record Node(String name, Resources allocatable, String zone, String rack) {

  public Node {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(allocatable, "allocatable");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(rack, "rack");
  }
}
