package dev.kiln.controlplane.local;

import dev.kiln.api.spec.Channel;
import dev.kiln.api.spec.TrainingJobSpec;
import dev.kiln.controlplane.core.RankContract;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an init container and a sidecar do in cluster mode, for local container ranks: downloads the
 * channels into {@code KILN_CHANNEL_<NAME>} before a rank starts, and uploads rank 0's {@code
 * KILN_MODEL_DIR} to {@code <output>/model/} after it exits 0. Off the reconcile thread: while it
 * works, the rank reads as pending (stage-in) or running (stage-out).
 */
final class ContainerStaging implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerStaging.class);

  private final S3Api s3;
  private final ExecutorService executor;
  private final Set<String> busy = ConcurrentHashMap.newKeySet();

  ContainerStaging(S3Api s3) {
    this.s3 = s3;
    this.executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "kiln-local-staging");
              t.setDaemon(true);
              return t;
            });
  }

  /** Whether the rank's data is being moved now. */
  boolean busy(String rankName) {
    return busy.contains(rankName);
  }

  /** Downloads every channel of the spec into the rank's folder, then calls {@code then}. */
  void stageIn(RankRecord rank, TrainingJobSpec spec, Consumer<String> then) {
    submit(
        rank,
        () -> {
          Map<String, Channel> inputs = spec.inputs == null ? Map.of() : new TreeMap<>(spec.inputs);
          for (Map.Entry<String, Channel> e : inputs.entrySet()) {
            Path dir = Path.of(RankContract.channelDir(rank.dataDir(), e.getKey()));
            int files = s3.download(e.getValue().uri, dir);
            if (files == 0) {
              return "channel " + e.getKey() + ": nothing at " + e.getValue().uri;
            }
          }
          return null;
        },
        then);
  }

  /** Uploads rank 0's model folder to {@code <output>/model/}, then calls {@code then}. */
  void stageOut(RankRecord rank, String outputUri, Consumer<String> then) {
    submit(
        rank,
        () -> {
          Path model = Path.of(rank.dataDir(), "model");
          if (java.nio.file.Files.isDirectory(model)) {
            s3.upload(model, (outputUri.endsWith("/") ? outputUri : outputUri + "/") + "model/");
          }
          return null;
        },
        then);
  }

  /** Work that returns why it failed, or null. */
  private interface Step {
    String run() throws IOException;
  }

  private void submit(RankRecord rank, Step step, Consumer<String> then) {
    if (!busy.add(rank.name())) {
      return;
    }
    executor.execute(
        () -> {
          String problem;
          try {
            problem = step.run();
          } catch (IOException | RuntimeException e) {
            LOG.warn("staging of rank {} failed", rank.name(), e);
            problem = e.getMessage() == null ? e.toString() : e.getMessage();
          }
          try {
            then.accept(problem);
          } finally {
            busy.remove(rank.name());
          }
        });
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
