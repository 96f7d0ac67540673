package dev.kiln.worker.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.worker.data.ObjectStores;
import dev.kiln.worker.testing.S3Server;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints committed to and read back from a real S3 server. */
class CheckpointS3IT {
  @TempDir Path dir;

  @Test
  void commitsToS3AndReadsTheNewestCompleteOne() throws Exception {
    try (S3Server s3 = S3Server.start(dir)) {
      s3.createBucket("models");
      ObjectStores store = ObjectStores.fromEnv(s3.env());
      CheckpointStore cs = new CheckpointStore(store, "s3://models/digits", "uid-7");
      cs.save(CheckpointStoreTest.checkpoint(1));
      cs.save(CheckpointStoreTest.checkpoint(2));
      store.write(cs.prefix() + "epoch-000003/state.safetensors", new byte[] {0});
      assertThat(cs.prefix()).isEqualTo("s3://models/digits/checkpoints/uid-7/");
      Checkpoint c = cs.latest().orElseThrow();
      assertThat(c.epoch()).isEqualTo(2);
      assertThat(c.parameters()).containsExactly(2f, 1.5f, -2f);
    }
  }
}
