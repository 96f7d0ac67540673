package dev.kiln.cli.sweep;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.TuningJob;
import dev.kiln.cli.KilnException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Sweeps on a cluster, through the user's kubeconfig context, so their own RBAC applies. */
final class ClusterSweeps implements SweepBackend {
  private final String context;
  private final KubernetesClient client;

  ClusterSweeps(String context) {
    this(context, new KubernetesClientBuilder().withConfig(Config.autoConfigure(context)).build());
  }

  ClusterSweeps(String context, KubernetesClient client) {
    this.context = context;
    this.client = client;
  }

  @Override
  public String where() {
    return "context " + context;
  }

  /** Creates the sweep, or patches the spec, labels and annotations of the one there. */
  @Override
  public TuningJob apply(TuningJob sweep) {
    String ns = sweep.getMetadata().getNamespace();
    return call(
        () -> {
          var resource =
              client
                  .resources(TuningJob.class)
                  .inNamespace(ns)
                  .withName(sweep.getMetadata().getName());
          if (resource.get() == null) {
            sweep.setStatus(null);
            return client.resources(TuningJob.class).inNamespace(ns).resource(sweep).create();
          }
          ObjectNode patch = JsonNodeFactory.instance.objectNode();
          patch.set("spec", dev.kiln.api.Manifests.json().valueToTree(sweep.getSpec()));
          ObjectNode meta = patch.putObject("metadata");
          meta.set(
              "labels", dev.kiln.api.Manifests.json().valueToTree(sweep.getMetadata().getLabels()));
          meta.set(
              "annotations",
              dev.kiln.api.Manifests.json().valueToTree(sweep.getMetadata().getAnnotations()));
          return resource.patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
        });
  }

  @Override
  public Optional<TuningJob> get(String namespace, String name) {
    return call(
        () ->
            Optional.ofNullable(
                client.resources(TuningJob.class).inNamespace(namespace).withName(name).get()));
  }

  @Override
  public List<TuningJob> list(String namespace) {
    return call(
        () ->
            namespace == null
                ? client.resources(TuningJob.class).inAnyNamespace().list().getItems()
                : client.resources(TuningJob.class).inNamespace(namespace).list().getItems());
  }

  @Override
  public List<TrainingJob> trials(String namespace, String sweep) {
    return call(
        () ->
            client
                .resources(TrainingJob.class)
                .inNamespace(namespace)
                .withLabel(LABEL_SWEEP, sweep)
                .list()
                .getItems());
  }

  @Override
  public boolean requestStop(String namespace, String name, String why) {
    if (get(namespace, name).isEmpty()) {
      return false;
    }
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    patch.putObject("metadata").putObject("annotations").put(STOP_ANNOTATION, why);
    call(
        () ->
            client
                .resources(TuningJob.class)
                .inNamespace(namespace)
                .withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString()));
    return true;
  }

  private <R> R call(Supplier<R> request) {
    try {
      return request.get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 422 || e.getCode() == 400) {
        throw KilnException.usage(
            e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage(),
            "fix the manifest and try again");
      }
      if (e.getCode() == 403 || e.getCode() == 401) {
        throw KilnException.failed(
            "the cluster (" + where() + ") refused: " + e.getMessage(),
            "check your RBAC: kubectl auth can-i --list -n <namespace>");
      }
      throw KilnException.failed("the cluster (" + where() + "): " + e.getMessage(), null);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
