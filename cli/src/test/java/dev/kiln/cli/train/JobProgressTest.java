package dev.kiln.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.TrainingJob;
import dev.kiln.api.spec.Algorithm;
import dev.kiln.api.spec.TrainingJobSpec;
import dev.kiln.api.status.Phase;
import dev.kiln.api.status.TrainingJobStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobProgressTest {
  private static final Instant START = Instant.parse("2026-05-01T10:00:00Z");

  private static TrainingJob running(int epoch) {
    TrainingJob job = new TrainingJob();
    job.setMetadata(new ObjectMetaBuilder().withName("digits").build());
    job.setSpec(new TrainingJobSpec());
    job.getSpec().algorithm = new Algorithm();
    job.getSpec().algorithm.epochs = 20;
    TrainingJobStatus s = new TrainingJobStatus();
    s.phase = Phase.RUNNING;
    s.attempt = 1;
    s.startTime = START.toString();
    s.metrics = new TrainingJobStatus.Metrics();
    s.metrics.latest = Map.of("epoch", (double) epoch, "loss", 0.25, "val_accuracy", 0.9512);
    job.setStatus(s);
    return job;
  }

  @Test
  void aLineSaysEpochLossMetricAndEta() {
    assertThat(JobProgress.line(running(5), START.plusSeconds(50)))
        .isEqualTo("digits  Running  epoch 5/20  loss 0.2500  val_accuracy 0.9512  ETA 2:30");
  }

  @Test
  void withoutATerminalAPlainLineIsPrintedOnlyWhenSomethingBesidesTheEtaChanged() {
    StringWriter out = new StringWriter();
    JobProgress progress = new JobProgress(new PrintWriter(out), false);

    progress.show(running(5), START.plusSeconds(50));
    progress.show(running(5), START.plusSeconds(51));
    progress.show(running(6), START.plusSeconds(60));
    progress.finish();

    assertThat(out.toString().lines()).hasSize(2).allMatch(l -> !l.contains("\r"));
  }

  @Test
  void onATerminalTheLineIsRewrittenInPlace() {
    StringWriter out = new StringWriter();
    JobProgress progress = new JobProgress(new PrintWriter(out), true);

    progress.show(running(5), START.plusSeconds(50));
    progress.show(running(6), START.plusSeconds(60));
    progress.finish();

    assertThat(out.toString())
        .startsWith("\rdigits")
        .contains("\rdigits  Running  epoch 6/20")
        .endsWith("\n");
  }
}
