package dev.kiln.tuner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrialTest {
  @Test
  void historyIsSortedAndARepeatedEpochKeepsTheLastReport() {
    Trial t =
        Trial.of(
            0,
            Map.of("x", 1.0),
            TrialState.RUNNING,
            List.of(new MetricPoint(2, 0.5), new MetricPoint(1, 0.3), new MetricPoint(2, 0.6)));
    assertThat(t.history()).containsExactly(new MetricPoint(1, 0.3), new MetricPoint(2, 0.6));
    assertThat(t.lastEpoch()).isEqualTo(2);
    assertThat(t.valueAt(1)).hasValue(0.3);
    assertThat(t.valueAt(5)).hasValue(0.6);
    assertThat(t.valueAt(0)).isEmpty();
  }

  @Test
  void onlyFinishedTrialsHaveAnObservedValue() {
    Trial running =
        Trial.of(0, Map.of("x", 1.0), TrialState.RUNNING, List.of(new MetricPoint(1, 0.4)));
    assertThat(running.observedValue()).isEmpty();
    assertThat(running.withState(TrialState.PAUSED).observedValue()).hasValue(0.4);
    assertThat(running.withState(TrialState.STOPPED).observedValue()).hasValue(0.4);
    assertThat(running.withState(TrialState.FAILED).observedValue()).isEmpty();
    assertThat(Trial.completed(1, Map.of("x", 1.0), 7).observedValue()).hasValue(7);
    assertThat(Trial.pending(2, Map.of("x", 1.0)).state().isActive()).isTrue();
  }
}
