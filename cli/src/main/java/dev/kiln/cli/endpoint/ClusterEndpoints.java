package dev.kiln.cli.endpoint;

import dev.kiln.api.InferenceEndpoint;
import dev.kiln.cli.KilnException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** InferenceEndpoints on a cluster, through the user's kubeconfig context (their own RBAC). */
final class ClusterEndpoints implements EndpointBackend {
  private final String context;
  private final KubernetesClient client;

  ClusterEndpoints(String context) {
    this.context = context;
    this.client = new KubernetesClientBuilder().withConfig(Config.autoConfigure(context)).build();
  }

  @Override
  public String where() {
    return "context " + context;
  }

  @Override
  public InferenceEndpoint apply(InferenceEndpoint endpoint) {
    String ns = endpoint.getMetadata().getNamespace();
    try {
      for (int i = 0; i < 5; i++) {
        InferenceEndpoint current = get(ns, endpoint.getMetadata().getName()).orElse(null);
        try {
          if (current == null) {
            endpoint.setStatus(null);
            return client
                .resources(InferenceEndpoint.class)
                .inNamespace(ns)
                .resource(endpoint)
                .create();
          }
          current.setSpec(endpoint.getSpec());
          return client
              .resources(InferenceEndpoint.class)
              .inNamespace(ns)
              .resource(current)
              .update();
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409) {
            throw e;
          }
        }
      }
      throw KilnException.failed("the endpoint kept changing while it was applied", "try again");
    } catch (KubernetesClientException e) {
      throw translate(e);
    }
  }

  @Override
  public Optional<InferenceEndpoint> get(String namespace, String name) {
    try {
      return Optional.ofNullable(
          client.resources(InferenceEndpoint.class).inNamespace(namespace).withName(name).get());
    } catch (KubernetesClientException e) {
      throw translate(e);
    }
  }

  @Override
  public List<InferenceEndpoint> list(String namespace) {
    try {
      var resources = client.resources(InferenceEndpoint.class);
      return (namespace == null ? resources.inAnyNamespace() : resources.inNamespace(namespace))
          .list().getItems().stream()
              .sorted(Comparator.comparing(e -> e.getMetadata().getName()))
              .toList();
    } catch (KubernetesClientException e) {
      throw translate(e);
    }
  }

  @Override
  public boolean delete(String namespace, String name) {
    try {
      return !client
          .resources(InferenceEndpoint.class)
          .inNamespace(namespace)
          .withName(name)
          .delete()
          .isEmpty();
    } catch (KubernetesClientException e) {
      throw translate(e);
    }
  }

  @Override
  public List<Event> events(InferenceEndpoint endpoint) {
    try {
      return client
          .v1()
          .events()
          .inNamespace(endpoint.getMetadata().getNamespace())
          .withField("involvedObject.uid", endpoint.getMetadata().getUid())
          .list()
          .getItems()
          .stream()
          .map(
              e ->
                  new Event(
                      e.getLastTimestamp() == null ? "" : e.getLastTimestamp(),
                      e.getType(),
                      e.getReason(),
                      e.getMessage()))
          .toList();
    } catch (KubernetesClientException e) {
      return List.of();
    }
  }

  @Override
  public void close() {
    client.close();
  }

  private KilnException translate(KubernetesClientException e) {
    if (e.getCode() == 403) {
      return KilnException.failed(
          "context " + context + " may not do that with InferenceEndpoints: " + e.getMessage(),
          "ask for RBAC on inferenceendpoints.kiln.dev");
    }
    if (e.getCode() == 422) {
      return KilnException.usage("the cluster rejected the endpoint: " + e.getMessage(), null);
    }
    return KilnException.failed("context " + context + ": " + e.getMessage(), null);
  }
}
