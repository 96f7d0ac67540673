package dev.kiln.controlplane.kubernetes;

import dev.kiln.api.TrainingJob;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the TrainingJob with a given uid lives: ReportMetrics names jobs by uid only. Filled by the
 * reconciler, which sees every job at start and on each change.
 */
public class JobDirectory {
  private final Map<String, ResourceID> byUid = new ConcurrentHashMap<>();

  public void remember(TrainingJob job) {
    byUid.put(job.getMetadata().getUid(), ResourceID.fromResource(job));
  }

  public Optional<ResourceID> find(String uid) {
    return Optional.ofNullable(byUid.get(uid));
  }

  public void forget(String uid) {
    byUid.remove(uid);
  }
}
