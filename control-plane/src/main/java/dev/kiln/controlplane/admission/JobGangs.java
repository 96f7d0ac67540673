package dev.kiln.controlplane.admission;

import dev.kiln.api.TrainingJob;
import dev.kiln.api.spec.TrainingJobSpec;
import dev.kiln.scheduler.core.Gang;
import dev.kiln.scheduler.core.JobId;
import dev.kiln.scheduler.core.QueueSpec;
import dev.kiln.scheduler.core.Resources;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** What the scheduler core sees of Kiln's resources: a job as a {@link Gang}, a Queue. Pure. */
public final class JobGangs {
  /** The queue a job names when it names none; it exists without a Queue object, unlimited. */
  public static final String DEFAULT_QUEUE = "default";

  /** No limit: a quota dimension a Queue leaves unset. */
  static final Resources UNLIMITED =
      new Resources(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, Integer.MAX_VALUE / 4);

  private JobGangs() {}

  public static JobId id(TrainingJob job) {
    return new JobId(job.getMetadata().getNamespace(), job.getMetadata().getName());
  }

  /** The gang of a job's spec: what each rank's pod requests, as {@code RankPodBuilder} asks. */
  public static Gang gang(TrainingJob job, TrainingJobSpec spec, Instant fallbackSubmitted) {
    Long deadline = spec.activeDeadlineSeconds;
    return new Gang(
        id(job),
        queueOf(spec),
        spec.priority == null ? 0 : spec.priority,
        instant(job.getMetadata().getCreationTimestamp()).orElse(fallbackSubmitted),
        spec.workersOrOne(),
        perRank(spec.resources),
        deadline == null || deadline <= 0
            ? Optional.empty()
            : Optional.of(Duration.ofSeconds(deadline)));
  }

  static String queueOf(TrainingJobSpec spec) {
    return spec.queue == null || spec.queue.isBlank() ? DEFAULT_QUEUE : spec.queue;
  }

  static Resources perRank(dev.kiln.api.spec.Resources r) {
    if (r == null) {
      return Resources.ZERO;
    }
    return new Resources(milli(r.cpu), whole(r.memory), r.gpuOrZero());
  }

  /** A Queue object as the core's queue; unset quota dimensions are unlimited. */
  public static QueueSpec queue(dev.kiln.api.Queue q) {
    dev.kiln.api.spec.QueueSpec spec = q.getSpec();
    double weight = spec == null || spec.weight == null ? 1.0 : spec.weight;
    Resources quota = UNLIMITED;
    if (spec != null && spec.quota != null) {
      quota =
          new Resources(
              spec.quota.cpu == null ? UNLIMITED.milliCpu() : milli(spec.quota.cpu),
              spec.quota.memory == null ? UNLIMITED.memoryBytes() : whole(spec.quota.memory),
              spec.quota.gpu == null ? UNLIMITED.gpus() : spec.quota.gpu);
    }
    return new QueueSpec(q.getMetadata().getName(), quota, weight);
  }

  /** The implicit {@code default} queue, used while no Queue of that name exists. */
  static QueueSpec implicitDefault() {
    return new QueueSpec(DEFAULT_QUEUE, UNLIMITED, 1.0);
  }

  static long milli(Quantity q) {
    return q == null
        ? 0
        : Quantity.getAmountInBytes(q)
            .multiply(BigDecimal.valueOf(1000))
            .setScale(0, RoundingMode.CEILING)
            .longValueExact();
  }

  static long whole(Quantity q) {
    return q == null
        ? 0
        : Quantity.getAmountInBytes(q).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  static Optional<Instant> instant(String timestamp) {
    try {
      return timestamp == null ? Optional.empty() : Optional.of(Instant.parse(timestamp));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
