package dev.kiln.controlplane.core;

import java.util.List;

/**
 * What a shell observed of a job's workloads, before the core decides.
 *
 * @param ranks every rank of every attempt that still exists
 * @param preparedDigest the digest of the spec the shared resources were prepared with; null when
 *     they are missing
 * @param admission whether the job's gang may start now
 * @param logMetrics for containers with {@code metrics} regexes: what they found in the log of rank
 *     0 of the attempt in force (see {@link LogMetrics})
 */
public record Observed(
    List<RankState> ranks,
    String preparedDigest,
    Admission.Verdict admission,
    List<MetricsBook.EpochValues> logMetrics) {
  public Observed {
    ranks = List.copyOf(ranks);
    admission = admission == null ? Admission.Verdict.ADMITTED : admission;
    logMetrics = logMetrics == null ? List.of() : List.copyOf(logMetrics);
  }

  public Observed(List<RankState> ranks, String preparedDigest, Admission.Verdict admission) {
    this(ranks, preparedDigest, admission, List.of());
  }
}
