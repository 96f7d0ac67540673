package dev.kiln.controlplane.kubernetes;

import dev.kiln.api.TrainingJob;
import dev.kiln.api.spec.MetricRule;
import dev.kiln.api.spec.TrainingJobSpec;
import dev.kiln.controlplane.core.LogMetrics;
import dev.kiln.controlplane.core.MetricsBook;
import dev.kiln.controlplane.core.RankState;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads rank 0's log ({@code pods/log}) of container jobs that have {@code metrics} regexes, at
 * most once per interval per job, and once more when rank 0 has finished; what the regexes find is
 * handed to the core with the other observations.
 */
public class RankLogs {
  private static final Logger LOG = LoggerFactory.getLogger(RankLogs.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final Duration interval;
  private final long maxBytes;
  private final Map<String, Read> reads = new ConcurrentHashMap<>();

  private record Read(
      String pod, boolean finished, Instant at, List<MetricsBook.EpochValues> found) {}

  public RankLogs(KubernetesClient client, Clock clock, Duration interval, long maxBytes) {
    this.client = client;
    this.clock = clock;
    this.interval = interval;
    this.maxBytes = maxBytes;
  }

  public List<MetricsBook.EpochValues> metrics(TrainingJob job, List<RankState> ranks) {
    TrainingJobSpec spec = job.getSpec();
    List<MetricRule> rules = spec == null ? null : spec.metrics;
    if (spec == null || spec.container == null || rules == null || rules.isEmpty()) {
      return List.of();
    }
    int attempt =
        job.getStatus() == null || job.getStatus().attempt == null ? 0 : job.getStatus().attempt;
    Optional<RankState> rank0 =
        ranks.stream()
            .filter(r -> r.attempt() == attempt && r.rank() == 0 && r.started())
            .findFirst();
    if (rank0.isEmpty()) {
      return List.of();
    }
    String uid = job.getMetadata().getUid();
    Instant now = clock.instant();
    boolean finished = !rank0.get().active();
    Read last = reads.get(uid);
    if (last != null
        && last.pod().equals(rank0.get().name())
        && (last.finished() || (!finished && now.isBefore(last.at().plus(interval))))) {
      return last.found();
    }
    try {
      String log =
          client
              .pods()
              .inNamespace(job.getMetadata().getNamespace())
              .withName(rank0.get().name())
              .inContainer(RankPodBuilder.TRAINER)
              .limitBytes((int) Math.min(Integer.MAX_VALUE, maxBytes))
              .getLog();
      List<MetricsBook.EpochValues> found = LogMetrics.parse(rules, log);
      reads.put(uid, new Read(rank0.get().name(), finished, now, found));
      return found;
    } catch (KubernetesClientException e) {
      LOG.warn("cannot read the log of {}: {}", rank0.get().name(), e.getMessage());
      return last == null ? List.of() : last.found();
    }
  }
}
