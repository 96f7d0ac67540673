package dev.kiln.scheduler.core;

/**
 * A gang that stays queued this cycle: no pods exist for it.
 *
 * @param position 1-based place among all waiting gangs in scheduling order
 * @param queuePosition 1-based place among the waiting gangs of its own queue
 */
public record PendingGang(Gang gang, Blocker blocker, int position, int queuePosition) {

  public PendingReason reason() {
    return blocker.reason();
  }

  public String message() {
    return blocker.message();
  }
}
