package dev.kiln.controlplane.endpoint.kubernetes;

import dev.kiln.api.InferenceEndpoint;
import dev.kiln.controlplane.endpoint.EndpointObserved.VersionState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an endpoint's model versions in a cluster: its Deployments (replicas asked for and ready),
 * their pods' restarts, and each ready pod's own in-flight requests from its {@code /metrics}.
 */
final class ClusterEndpointObserver {
  private static final Pattern IN_FLIGHT =
      Pattern.compile(
          "^kiln_endpoint_in_flight_requests(?:\\{[^}]*})? ([0-9.eE+-]+)$", Pattern.MULTILINE);
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofMillis(500))
          .build();
  private final KubernetesClient client;

  ClusterEndpointObserver(KubernetesClient client) {
    this.client = client;
  }

  List<VersionState> versions(InferenceEndpoint e) {
    String ns = e.getMetadata().getNamespace();
    String name = e.getMetadata().getName();
    List<Pod> pods =
        client
            .pods()
            .inNamespace(ns)
            .withLabel(EndpointResources.LABEL_ENDPOINT, name)
            .list()
            .getItems();
    List<VersionState> out = new ArrayList<>();
    for (Deployment d :
        client
            .apps()
            .deployments()
            .inNamespace(ns)
            .withLabel(EndpointResources.LABEL_ENDPOINT, name)
            .list()
            .getItems()) {
      String version = d.getMetadata().getLabels().get(EndpointResources.LABEL_VERSION);
      String uri = d.getMetadata().getAnnotations().get(EndpointResources.ANNOTATION_MODEL);
      if (version == null || uri == null) {
        continue;
      }
      int ready =
          d.getStatus() == null || d.getStatus().getReadyReplicas() == null
              ? 0
              : d.getStatus().getReadyReplicas();
      int inFlight = 0;
      int restarts = 0;
      for (Pod p : pods) {
        if (!version.equals(p.getMetadata().getLabels().get(EndpointResources.LABEL_VERSION))) {
          continue;
        }
        restarts += restarts(p);
        if (ready(p)) {
          inFlight += inFlight(p);
        }
      }
      out.add(
          new VersionState(
              version,
              uri,
              d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas(),
              ready,
              ready > 0 ? List.of(EndpointResources.backend(e, version)) : List.of(),
              inFlight,
              restarts));
    }
    return out;
  }

  private static boolean ready(Pod p) {
    if (p.getStatus() == null || p.getStatus().getConditions() == null) {
      return false;
    }
    return p.getStatus().getConditions().stream()
        .anyMatch((PodCondition c) -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static int restarts(Pod p) {
    if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null) {
      return 0;
    }
    return p.getStatus().getContainerStatuses().stream()
        .map(ContainerStatus::getRestartCount)
        .filter(java.util.Objects::nonNull)
        .mapToInt(Integer::intValue)
        .sum();
  }

  private int inFlight(Pod p) {
    String ip = p.getStatus().getPodIP();
    if (ip == null) {
      return 0;
    }
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://" + ip + ":" + EndpointResources.PORT + "/metrics"))
                  .timeout(Duration.ofMillis(500))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Matcher m = IN_FLIGHT.matcher(r.body());
      return r.statusCode() == 200 && m.find() ? (int) Double.parseDouble(m.group(1)) : 0;
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
