package dev.kiln.controlplane.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.TrainingJob;
import dev.kiln.controlplane.testing.CoreHarness;
import dev.kiln.controlplane.testing.Jobs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogMetricsCoreTest {

  @Test
  void aRunningContainerJobKeepsWhatItsRegexesFoundAndLooksAgainPeriodically() {
    CoreHarness h = new CoreHarness(Jobs.container("ddp", 2)).settle();
    h.world.runAll(1);
    h.settle();
    h.world.logMetrics =
        List.of(
            new MetricsBook.EpochValues(1, Map.of("val_accuracy", 0.5)),
            new MetricsBook.EpochValues(2, Map.of("val_accuracy", 0.75)));
    Decision d = h.reconcile();

    assertThat(h.status().metrics.history).hasSize(2);
    assertThat(h.status().latestMetric).isEqualTo("val_accuracy=0.75");
    assertThat(d.requeueAfter()).contains(Duration.ofSeconds(30));
    h.assertSteady();
  }

  @Test
  void theStopSignalFollowsTheTunerAndCancellation() {
    TrainingJob job = Jobs.algorithm("trial", 1);
    assertThat(StopSignal.of(job).stop()).isFalse();
    job.getMetadata().setAnnotations(Map.of(StopSignal.EARLY_STOP, "median rule at epoch 3"));
    assertThat(StopSignal.of(job))
        .isEqualTo(new StopSignal(true, "EarlyStopped: median rule at epoch 3"));
    job.getMetadata().setAnnotations(Map.of());
    job.getSpec().suspend = true;
    assertThat(StopSignal.of(job).reason()).startsWith("Suspended");
  }
}
