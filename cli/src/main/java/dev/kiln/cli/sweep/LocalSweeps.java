package dev.kiln.cli.sweep;

import dev.kiln.api.TrainingJob;
import dev.kiln.api.TuningJob;
import dev.kiln.cli.local.LocalClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Sweeps in local mode, through the local control plane's {@code LocalApi}. */
final class LocalSweeps implements SweepBackend {
  private final LocalClient client;

  LocalSweeps(LocalClient client) {
    this.client = client;
  }

  @Override
  public String where() {
    return "local mode (" + client.config().address() + ")";
  }

  @Override
  public TuningJob apply(TuningJob sweep) {
    return client.apply(sweep, TuningJob.class);
  }

  @Override
  public Optional<TuningJob> get(String namespace, String name) {
    return client.get(TuningJob.class, namespace, name);
  }

  @Override
  public List<TuningJob> list(String namespace) {
    return client.list(TuningJob.class, namespace);
  }

  @Override
  public List<TrainingJob> trials(String namespace, String sweep) {
    return client.list(TrainingJob.class, namespace).stream()
        .filter(j -> j.getMetadata().getLabels() != null)
        .filter(j -> sweep.equals(j.getMetadata().getLabels().get(LABEL_SWEEP)))
        .toList();
  }

  @Override
  public boolean requestStop(String namespace, String name, String why) {
    Optional<TuningJob> sweep = get(namespace, name);
    if (sweep.isEmpty()) {
      return false;
    }
    TuningJob s = sweep.get();
    Map<String, String> annotations = new LinkedHashMap<>();
    if (s.getMetadata().getAnnotations() != null) {
      annotations.putAll(s.getMetadata().getAnnotations());
    }
    annotations.put(STOP_ANNOTATION, why);
    s.getMetadata().setAnnotations(annotations);
    client.apply(s, TuningJob.class);
    return true;
  }

  @Override
  public void close() {
    client.close();
  }
}
