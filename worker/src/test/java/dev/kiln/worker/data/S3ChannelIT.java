package dev.kiln.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.worker.testing.S3Server;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Channels read through minio-java from a real S3 server (s3proxy over a temp folder). */
class S3ChannelIT {
  @TempDir static Path dir;
  static S3Server s3;
  static ObjectStores store;
  static byte[] digits;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3Server.start(dir);
    s3.createBucket("datasets");
    store = ObjectStores.fromEnv(s3.env());
    try (InputStream in = S3ChannelIT.class.getResourceAsStream("/data/digits-400.csv")) {
      digits = in.readAllBytes();
    }
    store.write("s3://datasets/digits/train.csv", digits);
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
  }

  @Test
  void readsACsvObjectAndAPrefixOfShards() throws Exception {
    ChannelLoader loader = new ChannelLoader(store);
    Dataset one =
        loader.load(
            new ChannelSpec("train", "s3://datasets/digits/train.csv", "csv", "label"),
            Targets.CLASSES,
            10,
            null);
    assertThat(one.rows()).isEqualTo(400);
    String text = new String(digits, StandardCharsets.UTF_8);
    int cut = text.indexOf('\n', text.length() / 2) + 1;
    String header = text.substring(0, text.indexOf('\n') + 1);
    store.write(
        "s3://datasets/shards/a.csv", text.substring(0, cut).getBytes(StandardCharsets.UTF_8));
    store.write(
        "s3://datasets/shards/b.csv",
        (header + text.substring(cut)).getBytes(StandardCharsets.UTF_8));
    Dataset sharded =
        loader.load(
            new ChannelSpec("train", "s3://datasets/shards/", null, null),
            Targets.CLASSES,
            10,
            null);
    assertThat(sharded.rows()).isEqualTo(400);
    assertThat(sharded.x()).isEqualTo(one.x());
    assertThat(sharded.targets()).isEqualTo(one.targets());
  }

  @Test
  void readsNpyFromAPrefix() throws Exception {
    store.write(
        "s3://datasets/np/X.npy",
        Npy.of("<f4", new int[] {2, 2}, false, new double[] {1, 2, 3, 4}));
    store.write(
        "s3://datasets/np/y.npy", Npy.of("<f8", new int[] {2}, false, new double[] {0.5, 1.5}));
    Dataset d =
        new ChannelLoader(store)
            .load(
                new ChannelSpec("train", "s3://datasets/np/", "npy", null),
                Targets.VALUES,
                1,
                null);
    assertThat(d.x()).containsExactly(1, 2, 3, 4);
    assertThat(d.targets()).containsExactly(0.5f, 1.5f);
  }

  @Test
  void missingObjectAndBucketSayWhatIsMissing() {
    ChannelLoader loader = new ChannelLoader(store);
    assertThatThrownBy(
            () ->
                loader.load(
                    new ChannelSpec("train", "s3://datasets/nothing-here/", null, null),
                    Targets.CLASSES,
                    10,
                    null))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("no .csv objects at s3://datasets/nothing-here/");
    assertThatThrownBy(
            () ->
                loader.load(
                    new ChannelSpec("train", "s3://no-such-bucket/x.csv", null, null),
                    Targets.CLASSES,
                    10,
                    null))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("no-such-bucket");
  }

  @Test
  void objectsRoundTripAndListInKeyOrder() throws Exception {
    store.write("s3://datasets/list/b", new byte[] {2});
    store.write("s3://datasets/list/a", new byte[] {1});
    assertThat(store.list("s3://datasets/list/"))
        .containsExactly("s3://datasets/list/a", "s3://datasets/list/b");
    assertThat(store.read("s3://datasets/list/b")).containsExactly(2);
    assertThat(store.exists("s3://datasets/list/c")).isFalse();
    store.delete("s3://datasets/list/a");
    assertThat(store.exists("s3://datasets/list/a")).isFalse();
  }
}
