package dev.kiln.controlplane.endpoint.kubernetes;

import dev.kiln.api.InferenceEndpoint;
import dev.kiln.api.Kiln;
import dev.kiln.api.spec.InferenceEndpointSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pure builders of what one model version of an endpoint is in a cluster: a Deployment of
 * endpoint-server replicas with readiness and liveness probes, and a Service in front of them.
 */
public final class EndpointResources {
  public static final String LABEL_ENDPOINT = "kiln.dev/endpoint";
  public static final String LABEL_VERSION = "kiln.dev/model-version";
  public static final String ANNOTATION_MODEL = "kiln.dev/model-uri";
  public static final int PORT = 8080;

  private EndpointResources() {}

  /** {@code <endpoint>-<version>}: the Deployment's and the Service's name. */
  public static String name(InferenceEndpoint e, String version) {
    return e.getMetadata().getName() + "-" + version;
  }

  /** The Secret with the S3 keys replicas read models with. */
  public static String secretName(InferenceEndpoint e) {
    return e.getMetadata().getName() + "-endpoint-s3";
  }

  /** The in-cluster address the router sends a version's requests to. */
  public static String backend(InferenceEndpoint e, String version) {
    return name(e, version) + "." + e.getMetadata().getNamespace() + ".svc:" + PORT;
  }

  static Map<String, String> labels(InferenceEndpoint e, String version) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_ENDPOINT, e.getMetadata().getName());
    labels.put(LABEL_VERSION, version);
    labels.put(Kiln.LABEL_COMPONENT, "endpoint-replica");
    labels.put(Kiln.LABEL_MANAGED_BY, Kiln.MANAGED_BY);
    return labels;
  }

  static OwnerReference owner(InferenceEndpoint e) {
    return new OwnerReferenceBuilder()
        .withApiVersion(Kiln.API_VERSION)
        .withKind(InferenceEndpoint.KIND)
        .withName(e.getMetadata().getName())
        .withUid(e.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  public static Deployment deployment(
      InferenceEndpoint e,
      String version,
      String modelUri,
      int replicas,
      ClusterEndpointSettings settings) {
    Map<String, String> labels = labels(e, version);
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name(e, version))
        .withNamespace(e.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(Map.of(ANNOTATION_MODEL, modelUri))
        .withOwnerReferences(owner(e))
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .withMatchLabels(Map.of(LABEL_ENDPOINT, e.getMetadata().getName(), LABEL_VERSION, version))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .withAnnotations(Map.of(ANNOTATION_MODEL, modelUri))
        .endMetadata()
        .withNewSpec()
        .withTerminationGracePeriodSeconds(40L)
        .addNewContainer()
        .withName("server")
        .withImage(settings.image())
        .withImagePullPolicy(settings.imagePullPolicy())
        .withEnv(env(e, modelUri, settings))
        .addNewPort()
        .withName("http")
        .withContainerPort(PORT)
        .endPort()
        .withResources(resources(e.getSpec().resources))
        .withNewReadinessProbe()
        .withNewHttpGet()
        .withPath("/v2/health/ready")
        .withNewPort(PORT)
        .endHttpGet()
        .withPeriodSeconds(2)
        .withFailureThreshold(2)
        .endReadinessProbe()
        .withNewLivenessProbe()
        .withNewHttpGet()
        .withPath("/v2/health/live")
        .withNewPort(PORT)
        .endHttpGet()
        .withInitialDelaySeconds(30)
        .withPeriodSeconds(10)
        .endLivenessProbe()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  public static Service service(InferenceEndpoint e, String version) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name(e, version))
        .withNamespace(e.getMetadata().getNamespace())
        .withLabels(labels(e, version))
        .withOwnerReferences(owner(e))
        .endMetadata()
        .withNewSpec()
        .withSelector(Map.of(LABEL_ENDPOINT, e.getMetadata().getName(), LABEL_VERSION, version))
        .addNewPort()
        .withName("http")
        .withPort(PORT)
        .withNewTargetPort("http")
        .endPort()
        .endSpec()
        .build();
  }

  public static Secret secret(InferenceEndpoint e, ClusterEndpointSettings settings) {
    Map<String, String> data = new LinkedHashMap<>();
    settings.s3AccessKey().ifPresent(k -> data.put("AWS_ACCESS_KEY_ID", k));
    settings.s3SecretKey().ifPresent(k -> data.put("AWS_SECRET_ACCESS_KEY", k));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(secretName(e))
        .withNamespace(e.getMetadata().getNamespace())
        .withLabels(Map.of(LABEL_ENDPOINT, e.getMetadata().getName()))
        .withOwnerReferences(owner(e))
        .endMetadata()
        .withStringData(data)
        .build();
  }

  private static List<EnvVar> env(
      InferenceEndpoint e, String modelUri, ClusterEndpointSettings settings) {
    InferenceEndpointSpec.Batching b =
        e.getSpec().batching == null ? new InferenceEndpointSpec.Batching() : e.getSpec().batching;
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVar("KILN_MODEL_URI", modelUri, null));
    env.add(new EnvVar("KILN_MODEL_NAME", e.getMetadata().getName(), null));
    env.add(new EnvVar("KILN_HTTP_PORT", Integer.toString(PORT), null));
    env.add(new EnvVar("KILN_MAX_BATCH_SIZE", Integer.toString(b.maxBatchSize), null));
    env.add(new EnvVar("KILN_MAX_DELAY_MICROS", Integer.toString(b.maxDelayMicros), null));
    env.add(new EnvVar("KILN_S3_ENDPOINT", settings.s3Endpoint(), null));
    for (String key : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")) {
      env.add(
          new EnvVarBuilder()
              .withName(key)
              .withNewValueFrom()
              .withNewSecretKeyRef(key, secretName(e), true)
              .endValueFrom()
              .build());
    }
    return env;
  }

  private static ResourceRequirements resources(dev.kiln.api.spec.Resources r) {
    Map<String, Quantity> requests = new LinkedHashMap<>();
    if (r != null && r.cpu != null) {
      requests.put("cpu", r.cpu);
    }
    if (r != null && r.memory != null) {
      requests.put("memory", r.memory);
    }
    Map<String, Quantity> limits = new LinkedHashMap<>();
    if (requests.containsKey("memory")) {
      limits.put("memory", requests.get("memory"));
    }
    return new ResourceRequirementsBuilder().withRequests(requests).withLimits(limits).build();
  }
}
