package dev.kiln.controlplane.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.spec.MetricRule;
import dev.kiln.api.status.TrainingJobStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsBookTest {

  private static TrainingJobStatus status(int attempt) {
    TrainingJobStatus s = new TrainingJobStatus();
    s.attempt = attempt;
    return s;
  }

  private static MetricsBook.EpochValues epoch(int e, double accuracy) {
    return new MetricsBook.EpochValues(e, Map.of("val_accuracy", accuracy, "loss", 1.0 / e));
  }

  @Test
  void theSameEpochTwiceIsRecordedOnce() {
    TrainingJobStatus s = status(1);
    assertThat(MetricsBook.record(s, null, 1, epoch(1, 0.5)))
        .isEqualTo(MetricsBook.Outcome.RECORDED);
    assertThat(MetricsBook.record(s, null, 1, epoch(1, 0.5)))
        .isEqualTo(MetricsBook.Outcome.DUPLICATE);
    assertThat(s.metrics.history).hasSize(1);
  }

  @Test
  void historyIsInEpochOrderAndLatestIsTheNewestEpoch() {
    TrainingJobStatus s = status(1);
    MetricsBook.record(s, null, 1, epoch(2, 0.7));
    MetricsBook.record(s, null, 1, epoch(1, 0.5));
    assertThat(s.metrics.history).extracting(h -> h.get("epoch")).containsExactly(1.0, 2.0);
    assertThat(s.metrics.latest).containsEntry("epoch", 2.0).containsEntry("val_accuracy", 0.7);
    assertThat(s.latestMetric).isEqualTo("val_accuracy=0.7");
  }

  @Test
  void aLaterAttemptReplacesAnEpochAndAnEarlierOneIsStale() {
    TrainingJobStatus s = status(2);
    MetricsBook.record(s, null, 2, epoch(3, 0.6));
    assertThat(MetricsBook.record(s, null, 1, epoch(3, 0.9))).isEqualTo(MetricsBook.Outcome.STALE);
    assertThat(MetricsBook.record(s, null, 2, epoch(3, 0.65)))
        .isEqualTo(MetricsBook.Outcome.RECORDED);
    assertThat(s.metrics.history)
        .singleElement()
        .satisfies(h -> assertThat(h).containsEntry("val_accuracy", 0.65));
  }

  @Test
  void historyKeepsTheNewestHundredEpochs() {
    TrainingJobStatus s = status(1);
    for (int e = 1; e <= 130; e++) {
      MetricsBook.record(s, null, 1, epoch(e, e / 200.0));
    }
    assertThat(s.metrics.history).hasSize(TrainingJobStatus.Metrics.MAX_HISTORY);
    assertThat(s.metrics.history.get(0)).containsEntry("epoch", 31.0);
    assertThat(s.metrics.latest).containsEntry("epoch", 130.0);
  }

  @Test
  void theHeadlineIsTheJobsFirstMetricAndNonFiniteValuesAreDropped() {
    TrainingJobStatus s = status(1);
    List<MetricRule> rules = List.of(new MetricRule("f1", "f1=([0-9.]+)"));
    MetricsBook.record(
        s,
        rules,
        1,
        new MetricsBook.EpochValues(
            1, Map.of("f1", 0.123456, "val_accuracy", 0.9, "loss", Double.NaN)));
    assertThat(s.latestMetric).isEqualTo("f1=0.1235");
    assertThat(s.metrics.latest).doesNotContainKey("loss");
  }

  @Test
  void logsGiveOneEntryPerOccurrenceOrPerPrintedEpoch() {
    List<MetricRule> rules =
        List.of(
            new MetricRule("loss", "loss=([0-9.]+)"),
            new MetricRule("val_accuracy", "val_accuracy=([0-9.]+)"));
    String log = "start\nloss=0.9 val_accuracy=0.5\nnoise\nloss=0.4\nval_accuracy=0.8\nloss=0.2\n";
    assertThat(LogMetrics.parse(rules, log))
        .containsExactly(
            new MetricsBook.EpochValues(1, Map.of("loss", 0.9, "val_accuracy", 0.5)),
            new MetricsBook.EpochValues(2, Map.of("loss", 0.4, "val_accuracy", 0.8)),
            new MetricsBook.EpochValues(3, Map.of("loss", 0.2)));

    List<MetricRule> withEpoch =
        List.of(
            new MetricRule("epoch", "epoch ([0-9]+)"), new MetricRule("loss", "loss=([0-9.]+)"));
    assertThat(LogMetrics.parse(withEpoch, "epoch 7 loss=0.3\nepoch 8 loss=0.25\n"))
        .extracting(MetricsBook.EpochValues::epoch)
        .containsExactly(7, 8);
  }

  @Test
  void tokensVerifyOnlyForTheirJob() {
    JobTokens tokens = new JobTokens("0123456789abcdef0123".getBytes());
    String token = tokens.tokenFor("uid-1");
    assertThat(tokens.verify("uid-1", token)).isTrue();
    assertThat(tokens.verify("uid-2", token)).isFalse();
    assertThat(tokens.verify("uid-1", null)).isFalse();
    assertThat(new JobTokens("another-key-0123456789".getBytes()).verify("uid-1", token)).isFalse();
    assertThat(tokens.tokenFor("uid-1"))
        .as("stateless: the same token every time")
        .isEqualTo(token);
  }

  @Test
  void backoffDoublesUpToItsMaximum() {
    CorePolicy p = CorePolicy.DEFAULT;
    assertThat(p.backoff(1)).hasSeconds(10);
    assertThat(p.backoff(2)).hasSeconds(20);
    assertThat(p.backoff(3)).hasSeconds(40);
    assertThat(p.backoff(20)).hasMinutes(5);
  }
}
