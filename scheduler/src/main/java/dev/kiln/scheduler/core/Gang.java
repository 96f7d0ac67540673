package dev.kiln.scheduler.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * All ranks of one job attempt: they are admitted and placed together or not at all.
 *
 * @param priority higher runs first and may preempt lower
 * @param submitted orders gangs of one queue and priority (earlier first)
 * @param perRank what each rank's pod requests
 * @param maxRuntime an upper bound on how long the gang holds its resources once started (the job's
 *     {@code activeDeadlineSeconds}); backfill uses it to prove a gang ends in time
 */
public record Gang(
    JobId job,
    String queue,
    int priority,
    Instant submitted,
    int ranks,
    Resources perRank,
    Optional<Duration> maxRuntime) {

  public Gang {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(submitted, "submitted");
    Objects.requireNonNull(perRank, "perRank");
    Objects.requireNonNull(maxRuntime, "maxRuntime");
    if (ranks < 1) {
      throw new IllegalArgumentException("gang " + job + " needs at least one rank: " + ranks);
    }
    if (maxRuntime.filter(d -> d.isNegative() || d.isZero()).isPresent()) {
      throw new IllegalArgumentException("maxRuntime of " + job + " must be positive");
    }
  }

  /** What the whole gang requests. */
  public Resources total() {
    return perRank.times(ranks);
  }

  public static Builder builder(String job) {
    return new Builder(JobId.parse(job));
  }

  /** Builds a gang with defaults: queue {@code default}, priority 0, one rank, no resources. */
  public static final class Builder {
    private final JobId job;
    private String queue = "default";
    private int priority;
    private Instant submitted = Instant.EPOCH;
    private int ranks = 1;
    private Resources perRank = Resources.ZERO;
    private Duration maxRuntime;

    private Builder(JobId job) {
      this.job = job;
    }

    public Builder queue(String queue) {
      this.queue = queue;
      return this;
    }

    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    public Builder submitted(Instant submitted) {
      this.submitted = submitted;
      return this;
    }

    public Builder ranks(int ranks) {
      this.ranks = ranks;
      return this;
    }

    public Builder perRank(Resources perRank) {
      this.perRank = perRank;
      return this;
    }

    public Builder maxRuntime(Duration maxRuntime) {
      this.maxRuntime = maxRuntime;
      return this;
    }

    public Gang build() {
      return new Gang(
          job, queue, priority, submitted, ranks, perRank, Optional.ofNullable(maxRuntime));
    }
  }
}
