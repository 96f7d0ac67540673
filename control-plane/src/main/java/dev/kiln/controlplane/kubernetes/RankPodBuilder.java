package dev.kiln.controlplane.kubernetes;

import dev.kiln.api.Kiln;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.spec.Resources;
import dev.kiln.api.spec.TrainingJobSpec;
import dev.kiln.controlplane.core.RankContract;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Builds the Pod of one rank: the rank contract, gang labels, resources, non-root. Pure. */
public final class RankPodBuilder {
  public static final String TRAINER = "trainer";
  public static final String STAGE_IN = "stage-in";

  /** Where a container job finds its channels, model and checkpoints folders. */
  public static final String DATA_DIR = "/kiln/data";

  private static final long NON_ROOT_UID = 1000L;

  private RankPodBuilder() {}

  public static Pod build(
      TrainingJob job, TrainingJobSpec spec, int attempt, int rank, ClusterSettings settings) {
    String name = job.getMetadata().getName();
    String namespace = job.getMetadata().getNamespace();
    int workers = spec.workersOrOne();
    String podName = TrainingJobNames.pod(name, attempt, rank);
    Map<String, String> labels = TrainingJobNames.labels(job, TrainingJobNames.COMPONENT_RANK);
    labels.put(Kiln.LABEL_ATTEMPT, Integer.toString(attempt));
    labels.put(Kiln.LABEL_RANK, Integer.toString(rank));
    labels.put(Kiln.LABEL_GANG_SIZE, Integer.toString(workers));
    labels.put(Kiln.LABEL_QUEUE, spec.queue == null ? "default" : spec.queue);
    labels.put(Kiln.LABEL_PRIORITY, Integer.toString(spec.priority == null ? 0 : spec.priority));

    RankContract.Rank contract =
        new RankContract.Rank(
            name,
            namespace,
            job.getMetadata().getUid(),
            attempt,
            rank,
            workers,
            IntStream.range(0, workers)
                .mapToObj(r -> TrainingJobNames.rankHost(name, namespace, attempt, r))
                .toList(),
            settings.masterPort(),
            TrainingJobNames.SPEC_FILE,
            settings.s3Endpoint(),
            settings.controlPlaneAddress(),
            settings.metricsPort(),
            DATA_DIR);
    List<EnvVar> env = env(RankContract.env(contract, spec), name, settings);
    boolean container = spec.container != null;

    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(mount("spec", TrainingJobNames.SPEC_DIR, true));
    mounts.add(mount("dshm", "/dev/shm", false));
    List<Volume> volumes = new ArrayList<>();
    volumes.add(
        new VolumeBuilder()
            .withName("spec")
            .withNewConfigMap()
            .withName(TrainingJobNames.configMap(name))
            .endConfigMap()
            .build());
    // NCCL and PyTorch data loaders need more shared memory than a container's 64 MiB default.
    volumes.add(
        new VolumeBuilder()
            .withName("dshm")
            .withNewEmptyDir()
            .withMedium("Memory")
            .endEmptyDir()
            .build());
    if (container) {
      mounts.add(mount("data", DATA_DIR, false));
      volumes.add(new VolumeBuilder().withName("data").withNewEmptyDir().endEmptyDir().build());
    }

    ContainerBuilder trainer =
        new ContainerBuilder()
            .withName(TRAINER)
            .withImage(container ? spec.container.image : settings.workerImage())
            .withImagePullPolicy(container ? null : settings.imagePullPolicy())
            .withEnv(env)
            .withResources(resources(spec.resources))
            .withVolumeMounts(mounts)
            .withTerminationMessagePolicy("FallbackToLogsOnError")
            .addNewPort()
            .withName("rendezvous")
            .withContainerPort(settings.masterPort())
            .endPort()
            .addNewPort()
            .withName("metrics")
            .withContainerPort(settings.metricsPort())
            .endPort()
            .withNewSecurityContext()
            .withAllowPrivilegeEscalation(false)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities()
            .endSecurityContext();
    if (container) {
      trainer.withCommand(spec.container.command).withArgs(spec.container.args);
    }
    List<Container> initContainers = new ArrayList<>();
    if (container && spec.inputs != null && !spec.inputs.isEmpty()) {
      initContainers.add(stageIn(env, mounts, settings));
    }

    return new PodBuilder()
        .withNewMetadata()
        .withName(podName)
        .withNamespace(namespace)
        .withLabels(labels)
        .withOwnerReferences(TrainingJobNames.owner(job))
        .endMetadata()
        .withNewSpec()
        .withHostname(podName)
        .withSubdomain(TrainingJobNames.service(name))
        .withRestartPolicy("Never")
        .withSchedulerName(settings.schedulerName())
        .withServiceAccountName(settings.serviceAccount())
        .withEnableServiceLinks(false)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(NON_ROOT_UID)
        .withRunAsGroup(NON_ROOT_UID)
        .withFsGroup(NON_ROOT_UID)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withInitContainers(initContainers)
        .withContainers(trainer.build())
        .withVolumes(volumes)
        .endSpec()
        .build();
  }

  /** Downloads a container job's channels into {@code KILN_CHANNEL_*} with the worker image. */
  private static Container stageIn(
      List<EnvVar> env, List<VolumeMount> mounts, ClusterSettings settings) {
    return new ContainerBuilder()
        .withName(STAGE_IN)
        .withImage(settings.workerImage())
        .withImagePullPolicy(settings.imagePullPolicy())
        .withArgs(settings.stageInArgs())
        .withEnv(env)
        .withVolumeMounts(mounts)
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .build();
  }

  private static List<EnvVar> env(Map<String, String> plain, String job, ClusterSettings settings) {
    List<EnvVar> env = new ArrayList<>();
    plain.forEach((k, v) -> env.add(new EnvVar(k, v, null)));
    String secret = TrainingJobNames.secret(job);
    env.add(fromSecret(RankContract.KILN_TOKEN, secret, TrainingJobNames.TOKEN_KEY));
    if (settings.s3Credentials()) {
      env.add(fromSecret(RankContract.AWS_ACCESS_KEY_ID, secret, RankContract.AWS_ACCESS_KEY_ID));
      env.add(
          fromSecret(
              RankContract.AWS_SECRET_ACCESS_KEY, secret, RankContract.AWS_SECRET_ACCESS_KEY));
    }
    return env;
  }

  private static EnvVar fromSecret(String name, String secret, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secret)
        .withKey(key)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }

  /** Requests cpu and memory; memory and GPUs are also limits (GPUs can only be limits). */
  static ResourceRequirements resources(Resources r) {
    if (r == null) {
      return new ResourceRequirements();
    }
    Map<String, Quantity> requests = new LinkedHashMap<>();
    Map<String, Quantity> limits = new LinkedHashMap<>();
    if (r.cpu != null) {
      requests.put("cpu", r.cpu);
    }
    if (r.memory != null) {
      requests.put("memory", r.memory);
      limits.put("memory", r.memory);
    }
    if (r.gpuOrZero() > 0) {
      Quantity gpus = new Quantity(Integer.toString(r.gpuOrZero()));
      requests.put("nvidia.com/gpu", gpus);
      limits.put("nvidia.com/gpu", gpus);
    }
    return new ResourceRequirementsBuilder().withRequests(requests).withLimits(limits).build();
  }

  private static VolumeMount mount(String name, String path, boolean readOnly) {
    return new VolumeMountBuilder()
        .withName(name)
        .withMountPath(path)
        .withReadOnly(readOnly)
        .build();
  }
}
