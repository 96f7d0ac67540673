package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendChoiceTest {
  @TempDir Path dir;

  private RankEnv env(int gpus, Map<String, String> extra) throws Exception {
    Path spec = dir.resolve("spec.json");
    Files.writeString(
        spec,
        "{\"algorithm\":{\"model\":{\"layers\":[{\"dense\":4,\"activation\":\"softmax\"}]},"
            + "\"loss\":\"cross_entropy\",\"optimizer\":{\"type\":\"sgd\",\"learningRate\":0.1},"
            + "\"epochs\":1,\"batchSize\":4,\"seed\":1},"
            + "\"resources\":{\"gpu\":"
            + gpus
            + "},\"inputs\":{\"train\":{\"uri\":\"file:///x.csv\",\"format\":\"csv\","
            + "\"label\":\"y\"}},\"output\":{\"uri\":\"file:///out/\"}}");
    Map<String, String> m = new HashMap<>(extra);
    m.put("KILN_SPEC_FILE", spec.toString());
    return RankEnv.from(m);
  }

  private BackendChoice decide(RankEnv env, String cudaWhy, String ncclWhy, int gpus)
      throws Exception {
    return BackendChoice.decide(
        env, JobSpec.read(env.specFile()), n -> cudaWhy, () -> ncclWhy, () -> gpus);
  }

  @Test
  void withoutAGpuTheRankUsesCpuAndTheTcpRingAndSaysWhy() throws Exception {
    BackendChoice c = decide(env(0, Map.of()), "no NVIDIA driver here", "x", 0);
    assertThat(c.compute()).isEqualTo("cpu");
    assertThat(c.collective()).isEqualTo("tcp");
    assertThat(c.line())
        .isEqualTo("backend compute=cpu collective=tcp (no GPU: no NVIDIA driver here)");
  }

  @Test
  void withAGpuAndNcclTheRankUsesCudaAndNccl() throws Exception {
    BackendChoice c = decide(env(0, Map.of("MASTER_ADDR", "10.0.0.1")), "", "", 1);
    assertThat(c.compute()).isEqualTo("cuda");
    assertThat(c.collective()).isEqualTo("nccl");
    assertThat(c.line()).contains("compute=cuda device=0 collective=nccl");
  }

  @Test
  void ranksSharingOneGpuOnOneHostAllReduceOverTcp() throws Exception {
    Map<String, String> twoLocal =
        Map.of("MASTER_ADDR", "127.0.0.1", "WORLD_SIZE", "2", "RANK", "1");
    BackendChoice c = decide(env(1, twoLocal), "", "", 1);
    assertThat(c.compute()).isEqualTo("cuda");
    assertThat(c.collective()).isEqualTo("tcp");
    assertThat(c.device()).isZero();
    assertThat(c.why()).contains("2 ranks share 1 GPU(s)");
    assertThat(decide(env(1, twoLocal), "", "", 2).device()).isEqualTo(1);
  }

  @Test
  void gpuResourcesWithoutAGpuFailInsteadOfFallingBack() throws Exception {
    assertThatThrownBy(() -> decide(env(1, Map.of()), "no NVIDIA driver here", "", 0))
        .isInstanceOf(BackendChoice.UnavailableException.class)
        .hasMessageContaining("resources.gpu=1 asks for the cuda backend")
        .hasMessageContaining("no NVIDIA driver here")
        .hasMessageContaining("set resources.gpu to 0");
    assertThatThrownBy(
            () -> decide(env(0, Map.of("KILN_COMPUTE_BACKEND", "cuda")), "no driver", "", 0))
        .hasMessageContaining("KILN_COMPUTE_BACKEND=cuda asks for the cuda backend");
  }

  @Test
  void explicitBackendsWin() throws Exception {
    Map<String, String> forced =
        Map.of("KILN_COMPUTE_BACKEND", "cpu", "KILN_COLLECTIVE_BACKEND", "shm");
    BackendChoice c = decide(env(0, forced), "", "", 1);
    assertThat(c.compute()).isEqualTo("cpu");
    assertThat(c.collective()).isEqualTo("shm");
  }
}
