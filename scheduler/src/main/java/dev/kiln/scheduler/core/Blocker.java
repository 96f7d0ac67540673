package dev.kiln.scheduler.core;

/**
 * The exact thing a waiting gang waits for. Each variant carries the numbers its message quotes, so
 * the message is only formatted when someone reads it.
 */
public sealed interface Blocker {

  PendingReason reason();

  /** The human message for the job's condition and {@code kiln train get}. */
  String message();

  /** The gang names a queue that does not exist. */
  record UnknownQueue(String queue) implements Blocker {
    @Override
    public PendingReason reason() {
      return PendingReason.UnknownQueue;
    }

    @Override
    public String message() {
      return "queue " + queue + " does not exist";
    }
  }

  /** The gang needs more than its queue's whole quota. */
  record ExceedsQuota(String queue, Resources quota, Resources need) implements Blocker {
    @Override
    public PendingReason reason() {
      return PendingReason.ExceedsQuota;
    }

    @Override
    public String message() {
      String needs;
      String limit;
      if (need.gpus() > quota.gpus()) {
        needs = Quantities.gpus(need.gpus());
        limit = Quantities.gpus(quota.gpus());
      } else if (need.milliCpu() > quota.milliCpu()) {
        needs = Quantities.cpus(need.milliCpu());
        limit = Quantities.cpus(quota.milliCpu());
      } else {
        needs = Quantities.memory(need.memoryBytes()) + " memory";
        limit = Quantities.memory(quota.memoryBytes()) + " memory";
      }
      return "job needs " + needs + " but the quota of queue " + queue + " is " + limit;
    }
  }

  /** Other admitted gangs of the queue use too much of its quota for this gang to join them. */
  record QuotaExhausted(String queue, Resources used, Resources quota, Resources need)
      implements Blocker {
    @Override
    public PendingReason reason() {
      return PendingReason.QuotaExhausted;
    }

    @Override
    public String message() {
      String detail;
      if (used.gpus() + need.gpus() > quota.gpus()) {
        detail = used.gpus() + "/" + quota.gpus() + " GPUs used, job needs " + need.gpus();
      } else if (used.milliCpu() + need.milliCpu() > quota.milliCpu()) {
        detail =
            Quantities.cores(used.milliCpu())
                + "/"
                + Quantities.cores(quota.milliCpu())
                + " CPUs used, job needs "
                + Quantities.cores(need.milliCpu());
      } else {
        detail =
            Quantities.memory(used.memoryBytes())
                + "/"
                + Quantities.memory(quota.memoryBytes())
                + " memory used, job needs "
                + Quantities.memory(need.memoryBytes());
      }
      return "quota of queue " + queue + " exhausted: " + detail;
    }
  }

  /** Not even the empty cluster holds every rank. */
  record Unschedulable(int ranks, Resources perRank, int emptyClusterRanks) implements Blocker {
    @Override
    public PendingReason reason() {
      return PendingReason.Unschedulable;
    }

    @Override
    public String message() {
      if (emptyClusterRanks == 0) {
        return "no node can hold a rank of " + Quantities.describe(perRank);
      }
      return "the whole cluster holds only "
          + emptyClusterRanks
          + " of "
          + ranks
          + " ranks of "
          + Quantities.describe(perRank);
    }
  }

  /**
   * Free capacity holds only {@code fittingRanks} of the ranks.
   *
   * @param gpusAloneFit whether some node has the GPUs of one rank free (so CPU or memory blocks)
   */
  record NoFit(int ranks, Resources perRank, int fittingRanks, boolean gpusAloneFit)
      implements Blocker {
    @Override
    public PendingReason reason() {
      return PendingReason.NoFit;
    }

    @Override
    public String message() {
      if (ranks == 1) {
        return perRank.gpus() > 0 && !gpusAloneFit
            ? "no node with " + perRank.gpus() + (perRank.gpus() == 1 ? " free GPU" : " free GPUs")
            : "no node with " + Quantities.describe(perRank) + " free";
      }
      return "only "
          + fittingRanks
          + " of "
          + ranks
          + " ranks of "
          + Quantities.describe(perRank)
          + " fit in free capacity";
    }
  }

  /** It would fit now, but waiting gangs of higher priority come first. */
  record BehindHigherPriority(int jobsAhead) implements Blocker {
    @Override
    public PendingReason reason() {
      return PendingReason.BehindHigherPriority;
    }

    @Override
    public String message() {
      return "behind " + jobsAhead + (jobsAhead == 1 ? " job" : " jobs") + " of higher priority";
    }
  }

  /**
   * It would fit now, but starting it could delay {@code head}, which is ahead in queue order.
   *
   * @param what the reserved thing: {@code capacity} or {@code quota of queue q}
   */
  record WaitingForReservation(JobId head, String what) implements Blocker {
    @Override
    public PendingReason reason() {
      return PendingReason.WaitingForReservation;
    }

    @Override
    public String message() {
      return what + " is reserved for " + head + ", which is ahead in queue order";
    }
  }
}
