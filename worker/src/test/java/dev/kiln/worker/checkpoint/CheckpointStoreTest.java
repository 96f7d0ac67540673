package dev.kiln.worker.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.model.OptimizerState;
import dev.kiln.worker.data.ObjectStore;
import dev.kiln.worker.data.ObjectStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
  @TempDir Path dir;

  static Checkpoint checkpoint(int epoch) {
    float[] p = {epoch, 1.5f, -2f};
    OptimizerState opt =
        new OptimizerState(
            "adam", epoch * 10L, Map.of("m", new float[] {1, 2, 3}, "v", new float[] {4, 5, 6}));
    return new Checkpoint(epoch, epoch * 10L, p, opt, 1, 42, "digest");
  }

  private CheckpointStore store(ObjectStore s) {
    return new CheckpointStore(s, "file:" + dir + "/out/", "uid-1");
  }

  @Test
  void roundTripsAndReadsTheNewest() throws Exception {
    CheckpointStore cs = store(ObjectStores.of(null));
    assertThat(cs.latest()).isEmpty();
    cs.save(checkpoint(1));
    cs.save(checkpoint(2));
    Checkpoint c = cs.latest().orElseThrow();
    assertThat(c.epoch()).isEqualTo(2);
    assertThat(c.step()).isEqualTo(20);
    assertThat(c.parameters()).containsExactly(2f, 1.5f, -2f);
    assertThat(c.optimizer().type()).isEqualTo("adam");
    assertThat(c.optimizer().steps()).isEqualTo(20);
    assertThat(c.optimizer().slots().keySet()).containsExactlyInAnyOrder("m", "v");
    assertThat(c.optimizer().slots().get("v")).containsExactly(4, 5, 6);
    assertThat(c.seed()).isEqualTo(42);
    assertThat(cs.prefix()).endsWith("/out/checkpoints/uid-1/");
  }

  @Test
  void aCheckpointWithoutManifestOrWithACorruptStateIsIgnored() throws Exception {
    CheckpointStore cs = store(ObjectStores.of(null));
    cs.save(checkpoint(1));
    String two = cs.save(checkpoint(2));
    // A writer killed between the state and the manifest: epoch 3 has state only.
    Path ck = dir.resolve("out/checkpoints/uid-1");
    Files.createDirectories(ck.resolve("epoch-000003"));
    Files.write(ck.resolve("epoch-000003/state.safetensors"), new byte[] {1, 2, 3});
    assertThat(cs.latest().orElseThrow().epoch()).isEqualTo(2);
    // Epoch 2's state corrupted after commit: fall back to epoch 1.
    Files.write(ck.resolve("epoch-000002/state.safetensors"), new byte[] {9, 9});
    assertThat(two).endsWith("epoch-000002/");
    assertThat(cs.latest().orElseThrow().epoch()).isEqualTo(1);
  }

  @Test
  void keepsOnlyTheNewestThree() throws Exception {
    CheckpointStore cs = store(ObjectStores.of(null));
    for (int e = 1; e <= 5; e++) {
      cs.save(checkpoint(e));
    }
    Path ck = dir.resolve("out/checkpoints/uid-1");
    assertThat(Files.exists(ck.resolve("epoch-000002/manifest.json"))).isFalse();
    assertThat(Files.exists(ck.resolve("epoch-000003/manifest.json"))).isTrue();
    assertThat(Files.exists(ck.resolve("epoch-000005/manifest.json"))).isTrue();
  }
}
