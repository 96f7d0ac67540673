package dev.kiln.controlplane.kubernetes;

import dev.kiln.api.InferenceEndpoint;
import dev.kiln.api.Kiln;
import dev.kiln.api.Queue;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.TuningJob;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the control plane checks at start, so a missing CRD or a short ClusterRole shows as one
 * plain sentence instead of a watch failing later: every Kiln CRD is served, and every verb the
 * control plane uses is allowed (SelfSubjectAccessReview, cluster-wide).
 */
public final class StartupCheck {
  /** The kinds whose CRDs must be installed (from deploy/). */
  static final List<Class<? extends HasMetadata>> KINDS =
      List.of(TrainingJob.class, TuningJob.class, InferenceEndpoint.class, Queue.class);

  /** One permission the control plane needs, as in a ClusterRole rule. */
  public record Permission(String verb, String group, String resource, String subresource) {
    @Override
    public String toString() {
      String what = group.isEmpty() ? resource : resource + "." + group;
      return verb + " " + (subresource == null ? what : what + "/" + subresource);
    }
  }

  /** Every verb on every resource the TrainingJob controller, ReportMetrics and events use. */
  public static final List<Permission> REQUIRED =
      List.of(
          new Permission("get", Kiln.GROUP, "trainingjobs", null),
          new Permission("list", Kiln.GROUP, "trainingjobs", null),
          new Permission("watch", Kiln.GROUP, "trainingjobs", null),
          new Permission("delete", Kiln.GROUP, "trainingjobs", null),
          new Permission("patch", Kiln.GROUP, "trainingjobs", "status"),
          new Permission("update", Kiln.GROUP, "trainingjobs", "status"),
          new Permission("update", Kiln.GROUP, "trainingjobs", "finalizers"),
          new Permission("get", "", "pods", null),
          new Permission("list", "", "pods", null),
          new Permission("watch", "", "pods", null),
          new Permission("create", "", "pods", null),
          new Permission("delete", "", "pods", null),
          new Permission("get", "", "pods", "log"),
          new Permission("get", "", "services", null),
          new Permission("list", "", "services", null),
          new Permission("watch", "", "services", null),
          new Permission("create", "", "services", null),
          new Permission("delete", "", "services", null),
          new Permission("get", "", "configmaps", null),
          new Permission("list", "", "configmaps", null),
          new Permission("watch", "", "configmaps", null),
          new Permission("create", "", "configmaps", null),
          new Permission("update", "", "configmaps", null),
          new Permission("delete", "", "configmaps", null),
          new Permission("get", "", "secrets", null),
          new Permission("create", "", "secrets", null),
          new Permission("delete", "", "secrets", null),
          new Permission("create", "", "events", null));

  /**
   * What the check found.
   *
   * @param unreachable why the API server could not be asked; null when it answered
   * @param unverified permissions the server gave no verdict on
   */
  public record Report(
      String unreachable,
      List<String> missingCrds,
      List<Permission> missingPermissions,
      List<Permission> unverified) {
    public boolean fatal() {
      return unreachable != null || !missingCrds.isEmpty();
    }

    /** Plain sentences for the log; empty when all is well. */
    public List<String> problems() {
      List<String> lines = new ArrayList<>();
      if (unreachable != null) {
        lines.add("Cannot reach the Kubernetes API server: " + unreachable);
      }
      if (!missingCrds.isEmpty()) {
        lines.add(
            "Kiln's CRDs are not installed: "
                + String.join(", ", missingCrds)
                + ". Install them first: kubectl apply -k deploy/ (the control plane installs"
                + " nothing itself).");
      }
      if (!missingPermissions.isEmpty()) {
        lines.add(
            "The control plane's service account may not: "
                + missingPermissions.stream()
                    .map(Permission::toString)
                    .collect(Collectors.joining(", "))
                + " (in all namespaces). Apply the ClusterRole in deploy/.");
      }
      return lines;
    }
  }

  private StartupCheck() {}

  public static Report run(KubernetesClient client) {
    List<String> missing;
    try {
      missing = missingCrds(client);
    } catch (KubernetesClientException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      String why = root == e ? e.getMessage() : e.getMessage() + " (" + root + ")";
      return new Report(client.getMasterUrl() + ": " + why, List.of(), List.of(), List.of());
    }
    List<Permission> denied = new ArrayList<>();
    List<Permission> unverified = new ArrayList<>();
    for (Permission p : REQUIRED) {
      Boolean allowed = allowed(client, p);
      if (allowed == null) {
        unverified.add(p);
      } else if (!allowed) {
        denied.add(p);
      }
    }
    return new Report(null, missing, denied, unverified);
  }

  private static List<String> missingCrds(KubernetesClient client) {
    Set<String> served = served(client);
    List<String> missing = new ArrayList<>();
    for (Class<? extends HasMetadata> kind : KINDS) {
      String plural = HasMetadata.getPlural(kind);
      if (served.contains(plural)) {
        continue;
      }
      String crd = plural + "." + Kiln.GROUP;
      // Discovery may lag a fresh CRD (and a test server has none): ask for the CRD itself.
      if (!crdExists(client, crd)) {
        missing.add(crd);
      }
    }
    return missing;
  }

  private static Set<String> served(KubernetesClient client) {
    try {
      APIResourceList list = client.getApiResources(Kiln.API_VERSION);
      return list == null
          ? Set.of()
          : list.getResources().stream().map(APIResource::getName).collect(Collectors.toSet());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return Set.of();
      }
      throw e;
    }
  }

  private static boolean crdExists(KubernetesClient client, String name) {
    try {
      return client.apiextensions().v1().customResourceDefinitions().withName(name).get() != null;
    } catch (KubernetesClientException e) {
      // Not allowed to read CRDs, and discovery did not list it: count it as missing.
      return false;
    }
  }

  /** True/false as the server says; null when it gave no verdict. */
  private static Boolean allowed(KubernetesClient client, Permission p) {
    SelfSubjectAccessReview review =
        new SelfSubjectAccessReviewBuilder()
            .withNewSpec()
            .withNewResourceAttributes()
            .withVerb(p.verb())
            .withGroup(p.group())
            .withResource(p.resource())
            .withSubresource(p.subresource())
            .withNamespace("")
            .endResourceAttributes()
            .endSpec()
            .build();
    try {
      SelfSubjectAccessReview answer =
          client.authorization().v1().selfSubjectAccessReview().create(review);
      return answer == null || answer.getStatus() == null ? null : answer.getStatus().getAllowed();
    } catch (KubernetesClientException e) {
      return null;
    }
  }
}
