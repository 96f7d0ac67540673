package dev.kiln.scheduler.core;

import java.time.Instant;
import java.util.List;

/**
 * A gang admitted this cycle with the node of every rank.
 *
 * @param rankNodes the node of each rank, indexed by rank; rank 0 is on the first node chosen
 * @param backfilled true when the gang jumped ahead of a waiting gang without delaying it
 */
public record Admission(Gang gang, List<String> rankNodes, boolean backfilled) {

  public Admission {
    rankNodes = List.copyOf(rankNodes);
  }

  /** The gang as it runs from {@code now}: the input to the next cycle's snapshot. */
  public RunningGang running(Instant now) {
    return new RunningGang(gang, rankNodes, now);
  }
}
