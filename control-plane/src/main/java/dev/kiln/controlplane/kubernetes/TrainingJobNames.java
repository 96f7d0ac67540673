package dev.kiln.controlplane.kubernetes;

import dev.kiln.api.Kiln;
import dev.kiln.api.TrainingJob;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** Names, labels and owner references of what a TrainingJob owns in Kubernetes. */
public final class TrainingJobNames {
  /** Where the merged spec is mounted in every rank. */
  public static final String SPEC_DIR = "/etc/kiln";

  public static final String SPEC_KEY = "spec.json";
  public static final String SPEC_FILE = SPEC_DIR + "/" + SPEC_KEY;
  public static final String TOKEN_KEY = "token";

  /** On the spec ConfigMap: the digest of the spec it holds. */
  public static final String SPEC_DIGEST_ANNOTATION = "kiln.dev/spec-digest";

  public static final String COMPONENT_RANK = "training-rank";
  public static final String COMPONENT_SHARED = "training-shared";

  private TrainingJobNames() {}

  public static String pod(String job, int attempt, int rank) {
    return job + "-" + attempt + "-" + rank;
  }

  /** The headless Service whose DNS names the ranks rendezvous by. */
  public static String service(String job) {
    return job + "-ranks";
  }

  public static String configMap(String job) {
    return job + "-spec";
  }

  public static String secret(String job) {
    return job + "-kiln";
  }

  /** A rank's stable DNS name under the headless Service. */
  public static String rankHost(String job, String namespace, int attempt, int rank) {
    return pod(job, attempt, rank) + "." + service(job) + "." + namespace + ".svc";
  }

  /** Labels on everything a job owns; the informers select on {@link Kiln#LABEL_JOB_UID}. */
  public static Map<String, String> labels(TrainingJob job, String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Kiln.LABEL_MANAGED_BY, Kiln.MANAGED_BY);
    labels.put(Kiln.LABEL_COMPONENT, component);
    labels.put(Kiln.LABEL_JOB, job.getMetadata().getName());
    labels.put(Kiln.LABEL_JOB_UID, job.getMetadata().getUid());
    return labels;
  }

  /** The controller reference: Kubernetes garbage-collects children with their job. */
  public static OwnerReference owner(TrainingJob job) {
    return new OwnerReferenceBuilder()
        .withApiVersion(Kiln.API_VERSION)
        .withKind(TrainingJob.KIND)
        .withName(job.getMetadata().getName())
        .withUid(job.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
