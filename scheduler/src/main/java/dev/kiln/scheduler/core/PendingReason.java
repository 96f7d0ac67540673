package dev.kiln.scheduler.core;

/** Why a gang is still waiting: the {@code reason} of its condition. */
public enum PendingReason {
  /** The gang names a queue that does not exist. */
  UnknownQueue,
  /** The gang alone needs more than its queue's quota; it can never be admitted. */
  ExceedsQuota,
  /** The queue's quota is in use by other admitted gangs. */
  QuotaExhausted,
  /** Not even an empty cluster could hold the gang. */
  Unschedulable,
  /** Free capacity cannot hold every rank, and no lower-priority gang could be evicted instead. */
  NoFit,
  /** It would fit, but gangs of higher priority are waiting for that capacity. */
  BehindHigherPriority,
  /** It would fit, but only by delaying a gang ahead of it in the same priority. */
  WaitingForReservation
}
