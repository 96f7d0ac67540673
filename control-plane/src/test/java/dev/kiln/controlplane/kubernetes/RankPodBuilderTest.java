package dev.kiln.controlplane.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.TrainingJob;
import dev.kiln.api.spec.ContainerSpec;
import dev.kiln.controlplane.testing.Jobs;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RankPodBuilderTest {
  static final ClusterSettings SETTINGS = ClusterSettings.defaults();

  private static Map<String, String> env(Container c) {
    return c.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  @Test
  void anAlgorithmRankRunsTheWorkerImageWithTheContractAndNoStageIn() {
    TrainingJob job = Jobs.algorithm("mnist", 2);
    Pod pod = RankPodBuilder.build(job, job.getSpec(), 3, 1, SETTINGS);

    assertThat(pod.getMetadata().getName()).isEqualTo("mnist-3-1");
    assertThat(pod.getSpec().getInitContainers()).isEmpty();
    Container trainer = pod.getSpec().getContainers().get(0);
    assertThat(trainer.getImage()).isEqualTo(SETTINGS.workerImage());
    assertThat(trainer.getCommand()).isEmpty();
    assertThat(env(trainer))
        .containsEntry("KILN_JOB", "mnist")
        .containsEntry("KILN_NAMESPACE", "ml")
        .containsEntry("KILN_ATTEMPT", "3")
        .containsEntry("RANK", "1")
        .containsEntry("MASTER_ADDR", "mnist-3-0.mnist-ranks.ml.svc")
        .containsEntry("KILN_CONTROL_PLANE", SETTINGS.controlPlaneAddress())
        .containsEntry("KILN_S3_ENDPOINT", SETTINGS.s3Endpoint())
        .doesNotContainKeys("KILN_HYPERPARAMETERS", "KILN_MODEL_DIR", "TF_CONFIG");
    assertThat(trainer.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(trainer.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(pod.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(1000L);
    assertThat(pod.getSpec().getEnableServiceLinks()).isFalse();
  }

  @Test
  void aPytorchContainerGetsTorchrunVariablesChannelsModelDirAndAStageInContainer() {
    TrainingJob job = Jobs.container("ddp", 4);
    Pod pod = RankPodBuilder.build(job, job.getSpec(), 1, 2, SETTINGS);
    Container trainer = pod.getSpec().getContainers().get(0);

    assertThat(trainer.getImage()).isEqualTo("ghcr.io/acme/train:1");
    assertThat(trainer.getCommand()).containsExactly("python", "train.py");
    assertThat(env(trainer))
        .containsEntry("PET_NNODES", "4")
        .containsEntry("PET_NODE_RANK", "2")
        .containsEntry("PET_MASTER_ADDR", "ddp-1-0.ddp-ranks.ml.svc")
        .containsEntry("PET_MASTER_PORT", "29500")
        .containsEntry("KILN_HYPERPARAMETERS", "{\"lr\":\"0.01\"}")
        .containsEntry("KILN_CHANNEL_TRAIN", "/kiln/data/channels/train")
        .containsEntry("KILN_MODEL_DIR", "/kiln/data/model")
        .containsEntry("KILN_CHECKPOINT_DIR", "/kiln/data/checkpoints");
    Container stageIn = pod.getSpec().getInitContainers().get(0);
    assertThat(stageIn.getImage()).isEqualTo(SETTINGS.workerImage());
    assertThat(stageIn.getArgs()).containsExactly("stage-in");
    assertThat(env(stageIn)).containsEntry("KILN_CHANNEL_TRAIN", "/kiln/data/channels/train");
  }

  @Test
  void tensorflowGetsTfConfigNamingEveryRank() {
    TrainingJob job = Jobs.container("tf", 2);
    job.getSpec().container.framework = ContainerSpec.Framework.TENSORFLOW;
    Pod pod = RankPodBuilder.build(job, job.getSpec(), 1, 1, SETTINGS);
    assertThat(env(pod.getSpec().getContainers().get(0)).get("TF_CONFIG"))
        .isEqualTo(
            "{\"cluster\":{\"worker\":[\"tf-1-0.tf-ranks.ml.svc:29500\",\"tf-1-1.tf-ranks.ml.svc:29500\"]},"
                + "\"task\":{\"type\":\"worker\",\"index\":1}}");
  }

  @Test
  void jaxGetsItsCoordinator() {
    TrainingJob job = Jobs.container("jx", 3);
    job.getSpec().container.framework = ContainerSpec.Framework.JAX;
    Map<String, String> env =
        env(
            RankPodBuilder.build(job, job.getSpec(), 1, 2, SETTINGS)
                .getSpec()
                .getContainers()
                .get(0));
    assertThat(env)
        .containsEntry("JAX_COORDINATOR_ADDRESS", "jx-1-0.jx-ranks.ml.svc:29500")
        .containsEntry("JAX_NUM_PROCESSES", "3")
        .containsEntry("JAX_PROCESS_ID", "2");
  }

  @Test
  void theUsersOwnVariablesNeverOverrideTheContract() {
    TrainingJob job = Jobs.container("own", 1);
    job.getSpec().container.env = Map.of("RANK", "7", "MY_FLAG", "on");
    Map<String, String> env =
        env(
            RankPodBuilder.build(job, job.getSpec(), 1, 0, SETTINGS)
                .getSpec()
                .getContainers()
                .get(0));
    assertThat(env).containsEntry("RANK", "0").containsEntry("MY_FLAG", "on");
  }

  @Test
  void noGpusMeansNoGpuResource() {
    TrainingJob job = Jobs.algorithm("cpu", 1);
    job.getSpec().resources.gpu = 0;
    Container c =
        RankPodBuilder.build(job, job.getSpec(), 1, 0, SETTINGS).getSpec().getContainers().get(0);
    assertThat(c.getResources().getLimits()).containsOnlyKeys("memory");
    assertThat(c.getResources().getRequests()).containsOnlyKeys("cpu", "memory");
  }

  @Test
  void secretsAreReferencedNeverInlined() {
    TrainingJob job = Jobs.algorithm("sec", 1);
    Map<String, EnvVar> env =
        RankPodBuilder.build(job, job.getSpec(), 1, 0, SETTINGS)
            .getSpec()
            .getContainers()
            .get(0)
            .getEnv()
            .stream()
            .collect(Collectors.toMap(EnvVar::getName, Function.identity()));
    assertThat(env.get("KILN_TOKEN").getValue()).isNull();
    assertThat(env.get("KILN_TOKEN").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
    assertThat(env.get("AWS_SECRET_ACCESS_KEY").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("sec-kiln");
  }

  @Test
  void theHeadlessServiceSelectsTheJobsRanksAndPublishesNotReadyAddresses() {
    TrainingJob job = Jobs.algorithm("mnist", 2);
    Service service = SharedResources.service(job, 29500);
    assertThat(service.getMetadata().getName()).isEqualTo("mnist-ranks");
    assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(service.getSpec().getPublishNotReadyAddresses()).isTrue();
    assertThat(service.getSpec().getSelector()).containsEntry("kiln.dev/job-uid", "uid-mnist");
    assertThat(service.getMetadata().getOwnerReferences().get(0).getController()).isTrue();
  }
}
