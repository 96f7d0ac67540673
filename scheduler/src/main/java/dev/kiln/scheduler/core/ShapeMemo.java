package dev.kiln.scheduler.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Gang shapes (ranks of a per-rank request) already tested against capacity that has only shrunk
 * since. Fitting is monotone in shape: if {@code k} ranks of {@code r} do not fit, no gang of more
 * ranks of more resources does; if they fit, every smaller gang does. This turns a long queue of
 * gangs that cannot start into a few comparisons each.
 */
final class ShapeMemo {
  private final List<Resources> perRank = new ArrayList<>();
  private final List<Integer> ranks = new ArrayList<>();

  void add(Resources r, int k) {
    perRank.add(r);
    ranks.add(k);
  }

  /** Some remembered shape is no larger than (r, k): as a memo of failures, (r, k) fails too. */
  boolean hasNoLargerThan(Resources r, int k) {
    for (int i = 0; i < perRank.size(); i++) {
      if (ranks.get(i) <= k && perRank.get(i).fitsIn(r)) {
        return true;
      }
    }
    return false;
  }

  /** Some remembered shape is no smaller than (r, k): as a memo of fits, (r, k) fits too. */
  boolean hasNoSmallerThan(Resources r, int k) {
    for (int i = 0; i < perRank.size(); i++) {
      if (ranks.get(i) >= k && r.fitsIn(perRank.get(i))) {
        return true;
      }
    }
    return false;
  }

  void clear() {
    perRank.clear();
    ranks.clear();
  }
}
