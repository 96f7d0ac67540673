package dev.kiln.controlplane.kubernetes;

import dev.kiln.api.Kiln;
import dev.kiln.api.TrainingJob;
import dev.kiln.controlplane.core.RankContract;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds what a job's ranks share: the headless Service, the spec ConfigMap, the Secret. Pure. */
public final class SharedResources {
  private SharedResources() {}

  /**
   * The headless Service that gives every rank a stable DNS name ({@code
   * <pod>.<job>-ranks.<ns>.svc}); not-ready addresses are published so ranks find each other while
   * they rendezvous, before any is ready.
   */
  public static Service service(TrainingJob job, int masterPort) {
    String name = job.getMetadata().getName();
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(TrainingJobNames.service(name))
        .withNamespace(job.getMetadata().getNamespace())
        .withLabels(TrainingJobNames.labels(job, TrainingJobNames.COMPONENT_SHARED))
        .withOwnerReferences(TrainingJobNames.owner(job))
        .endMetadata()
        .withNewSpec()
        .withClusterIP("None")
        .withPublishNotReadyAddresses(true)
        .withSelector(
            Map.of(
                Kiln.LABEL_JOB_UID,
                job.getMetadata().getUid(),
                Kiln.LABEL_COMPONENT,
                TrainingJobNames.COMPONENT_RANK))
        .addNewPort()
        .withName("rendezvous")
        .withPort(masterPort)
        .withNewTargetPort(masterPort)
        .endPort()
        .endSpec()
        .build();
  }

  /** The merged spec, mounted into every rank as {@code KILN_SPEC_FILE}. */
  public static ConfigMap specConfigMap(TrainingJob job, String specJson, String digest) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(TrainingJobNames.configMap(job.getMetadata().getName()))
        .withNamespace(job.getMetadata().getNamespace())
        .withLabels(TrainingJobNames.labels(job, TrainingJobNames.COMPONENT_SHARED))
        .withAnnotations(Map.of(TrainingJobNames.SPEC_DIGEST_ANNOTATION, digest))
        .withOwnerReferences(TrainingJobNames.owner(job))
        .endMetadata()
        .withData(Map.of(TrainingJobNames.SPEC_KEY, specJson))
        .build();
  }

  /** The job's token and, when configured, the S3 keys: ranks read them as env from here. */
  public static Secret secret(
      TrainingJob job, String token, String s3AccessKey, String s3SecretKey) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(TrainingJobNames.TOKEN_KEY, base64(token));
    if (s3AccessKey != null && s3SecretKey != null) {
      data.put(RankContract.AWS_ACCESS_KEY_ID, base64(s3AccessKey));
      data.put(RankContract.AWS_SECRET_ACCESS_KEY, base64(s3SecretKey));
    }
    return new SecretBuilder()
        .withNewMetadata()
        .withName(TrainingJobNames.secret(job.getMetadata().getName()))
        .withNamespace(job.getMetadata().getNamespace())
        .withLabels(TrainingJobNames.labels(job, TrainingJobNames.COMPONENT_SHARED))
        .withOwnerReferences(TrainingJobNames.owner(job))
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
