package dev.kiln.tuner.stopping;

import static dev.kiln.tuner.stopping.Histories.trial;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.tuner.Goal;
import dev.kiln.tuner.Trial;
import dev.kiln.tuner.TrialState;
import java.util.List;
import org.junit.jupiter.api.Test;

class MedianStoppingTest {
  private final EarlyStopping median = EarlyStopping.create("median", Goal.MAXIMIZE, 2, 3, 10);
  private final List<Trial> others =
      List.of(
          trial(0, TrialState.COMPLETED, 0.5, 0.7, 0.8), // running average at 2: 0.6
          trial(1, TrialState.COMPLETED, 0.6, 0.8, 0.9), // 0.7
          trial(2, TrialState.RUNNING, 0.3, 0.5), // 0.4
          trial(3, TrialState.FAILED, 0.1, 0.1)); // ignored

  @Test
  void stopsATrialWorseThanTheMedianOfRunningAverages() {
    Trial bad = trial(4, TrialState.RUNNING, 0.3, 0.55);
    assertThat(median.decide(bad, concat(bad))).isEqualTo(Decision.STOP); // 0.55 < median 0.6
    Trial fine = trial(5, TrialState.RUNNING, 0.62, 0.5);
    assertThat(median.decide(fine, concat(fine))).isEqualTo(Decision.CONTINUE); // best 0.62
  }

  @Test
  void waitsForTheGracePeriodAndForEnoughTrials() {
    Trial early = trial(4, TrialState.RUNNING, 0.01);
    assertThat(median.decide(early, concat(early))).isEqualTo(Decision.CONTINUE);
    Trial bad = trial(4, TrialState.RUNNING, 0.01, 0.01);
    assertThat(median.decide(bad, List.of(others.get(0), others.get(1), bad)))
        .isEqualTo(Decision.CONTINUE);
  }

  @Test
  void runsEveryTrialToTheFullBudgetWithoutPromotions() {
    assertThat(median.initialEpochs(3)).isEqualTo(10);
    assertThat(median.promotions(others, 3)).isEmpty();
    EarlyStopping none = EarlyStopping.create("none", Goal.MAXIMIZE, 1, 3, 10);
    Trial bad = trial(4, TrialState.RUNNING, 0.0, 0.0);
    assertThat(none.decide(bad, concat(bad))).isEqualTo(Decision.CONTINUE);
    assertThat(none.initialEpochs(0)).isEqualTo(10);
  }

  private List<Trial> concat(Trial t) {
    return java.util.stream.Stream.concat(others.stream(), java.util.stream.Stream.of(t)).toList();
  }
}
