package dev.kiln.controlplane.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import org.slf4j.MDC;

/**
 * Puts a resource's namespace, name and generation into the logging MDC for one reconcile: as
 * separate keys, and as {@code kiln.resource} (" [ns/name gen=N]") for the console format.
 */
final class JobMdc implements AutoCloseable {
  static final String NAMESPACE = "kiln.namespace";
  static final String NAME = "kiln.name";
  static final String GENERATION = "kiln.generation";
  static final String RESOURCE = "kiln.resource";

  private JobMdc() {}

  static JobMdc of(HasMetadata resource) {
    var meta = resource.getMetadata();
    MDC.put(NAMESPACE, meta.getNamespace());
    MDC.put(NAME, meta.getName());
    MDC.put(GENERATION, String.valueOf(meta.getGeneration()));
    MDC.put(
        RESOURCE,
        " [" + meta.getNamespace() + "/" + meta.getName() + " gen=" + meta.getGeneration() + "]");
    return new JobMdc();
  }

  @Override
  public void close() {
    MDC.remove(NAMESPACE);
    MDC.remove(NAME);
    MDC.remove(GENERATION);
    MDC.remove(RESOURCE);
  }
}
