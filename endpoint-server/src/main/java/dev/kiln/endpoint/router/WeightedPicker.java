package dev.kiln.endpoint.router;

import java.util.List;
import java.util.Set;

/**
 * Splits requests across versions by weight with smooth weighted round-robin (as nginx does): over
 * any window of {@code sum(weights)} requests each version gets exactly its share, interleaved
 * rather than in bursts. Within a version, replicas take turns.
 */
final class WeightedPicker {
  private final RouteTable table;
  private final long[] current;
  private final int[] nextBackend;

  WeightedPicker(RouteTable table) {
    this.table = table;
    this.current = new long[table.versions().size()];
    this.nextBackend = new int[table.versions().size()];
  }

  RouteTable table() {
    return table;
  }

  /** A chosen replica of a version. */
  record Pick(String version, String backend) {}

  /** The next version by weight, and its next replica; null when no version can take requests. */
  synchronized Pick next() {
    List<RouteTable.Version> versions = table.versions();
    int best = -1;
    long total = 0;
    for (int i = 0; i < versions.size(); i++) {
      RouteTable.Version v = versions.get(i);
      if (!v.routable()) {
        continue;
      }
      current[i] += v.weight();
      total += v.weight();
      if (best < 0 || current[i] > current[best]) {
        best = i;
      }
    }
    if (best < 0) {
      return null;
    }
    current[best] -= total;
    return backendOf(best, Set.of());
  }

  /**
   * Another replica to retry on after {@code tried} failed: first another replica of the same
   * version, then any routable version's; null when none is left.
   */
  synchronized Pick retry(String version, Set<String> tried) {
    List<RouteTable.Version> versions = table.versions();
    for (int i = 0; i < versions.size(); i++) {
      if (versions.get(i).name().equals(version)) {
        Pick p = backendOf(i, tried);
        if (p != null) {
          return p;
        }
      }
    }
    for (int i = 0; i < versions.size(); i++) {
      if (versions.get(i).routable()) {
        Pick p = backendOf(i, tried);
        if (p != null) {
          return p;
        }
      }
    }
    return null;
  }

  private Pick backendOf(int index, Set<String> tried) {
    RouteTable.Version v = table.versions().get(index);
    int n = v.backends().size();
    for (int k = 0; k < n; k++) {
      String b = v.backends().get(Math.floorMod(nextBackend[index]++, n));
      if (!tried.contains(b)) {
        return new Pick(v.name(), b);
      }
    }
    return null;
  }
}
