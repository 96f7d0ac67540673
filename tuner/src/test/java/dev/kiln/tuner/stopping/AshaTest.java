package dev.kiln.tuner.stopping;

import static dev.kiln.tuner.stopping.Histories.flat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.tuner.Goal;
import dev.kiln.tuner.Trial;
import dev.kiln.tuner.TrialState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AshaTest {
  private final EarlyStopping asha = EarlyStopping.create("asha", Goal.MAXIMIZE, 2, 3, 20);

  @Test
  void rungsAreGeometricBelowTheFullBudget() {
    assertThat(Asha.rungs(2, 3, 20)).containsExactly(2, 6, 20);
    assertThat(Asha.rungs(2, 3, 18)).containsExactly(2, 6, 18);
    assertThat(Asha.rungs(1, 2, 8)).containsExactly(1, 2, 4, 8);
    assertThat(Asha.rungs(2, 3, 5)).containsExactly(2, 5);
    assertThat(Asha.rungs(4, 3, 4)).containsExactly(4);
    assertThat(asha.initialEpochs(7)).isEqualTo(2);
    assertThat(asha.maxEpochs()).isEqualTo(20);
  }

  @Test
  void promotesTheTopThirdOfARungBestFirst() {
    List<Trial> trials = new ArrayList<>();
    double[] acc = {0.50, 0.91, 0.60, 0.70, 0.95, 0.40};
    for (int i = 0; i < acc.length; i++) {
      trials.add(flat(i, TrialState.PAUSED, 2, acc[i]));
    }
    // 6 trials reached rung 2: the top 2 go on to 6 epochs, resuming after epoch 2.
    assertThat(asha.promotions(trials, 5))
        .containsExactly(new Promotion(4, 2, 6), new Promotion(1, 2, 6));
    assertThat(asha.promotions(trials, 1)).containsExactly(new Promotion(4, 2, 6));
  }

  @Test
  void doesNotPromoteBeforeARungHasEnoughTrials() {
    List<Trial> trials =
        List.of(flat(0, TrialState.PAUSED, 2, 0.9), flat(1, TrialState.PAUSED, 2, 0.8));
    assertThat(asha.promotions(trials, 4)).isEmpty();
  }

  @Test
  void countsPromotedTrialsInTheirRungButDoesNotPromoteThemTwice() {
    List<Trial> trials = new ArrayList<>();
    trials.add(flat(0, TrialState.RUNNING, 4, 0.95)); // promoted earlier, now at epoch 4
    trials.add(flat(1, TrialState.PAUSED, 2, 0.90));
    trials.add(flat(2, TrialState.PAUSED, 2, 0.50));
    trials.add(flat(3, TrialState.PAUSED, 2, 0.40));
    trials.add(flat(4, TrialState.FAILED, 2, 0.99)); // failed trials do not count
    trials.add(flat(5, TrialState.STOPPED, 2, 0.30));
    // Rung 2 has 5 trials: top 1 is trial 0, already promoted: nothing to do.
    assertThat(asha.promotions(trials, 4)).isEmpty();
    trials.add(flat(6, TrialState.PAUSED, 2, 0.20));
    // 6 trials: the top 2 are trials 0 and 1; trial 1 is promoted.
    assertThat(asha.promotions(trials, 4)).containsExactly(new Promotion(1, 2, 6));
  }

  @Test
  void promotesFromHigherRungsFirstAndMinimizesWhenAsked() {
    List<Trial> trials = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      trials.add(flat(i, TrialState.PAUSED, 2, i)); // losses 0..8
    }
    for (int i = 9; i < 12; i++) {
      trials.add(flat(i, TrialState.PAUSED, 6, i - 9)); // reached rung 6
    }
    EarlyStopping minimize = EarlyStopping.create("asha", Goal.MINIMIZE, 2, 3, 20);
    // Rung 6: 3 trials, the top 1 (trial 9) goes on to 20. Rung 2: all 12 trials reached it and
    // the top 4 are 0, 9, 1, 10 (ties by index); 9 and 10 have moved on, so 0 and 1 are promoted.
    assertThat(minimize.promotions(trials, 10))
        .containsExactly(new Promotion(9, 6, 20), new Promotion(0, 2, 6), new Promotion(1, 2, 6));
  }

  @Test
  void neverStopsARunningTrial() {
    assertThat(asha.decide(flat(0, TrialState.RUNNING, 1, 0.0), List.of()))
        .isEqualTo(Decision.CONTINUE);
  }

  @Test
  void validatesItsSettings() {
    assertThatThrownBy(() -> EarlyStopping.create("asha", Goal.MAXIMIZE, 0, 3, 10))
        .hasMessageContaining("minEpochs must be between 1 and the trial's epochs (10)");
    assertThatThrownBy(() -> EarlyStopping.create("asha", Goal.MAXIMIZE, 1, 1, 10))
        .hasMessage("earlyStopping.reductionFactor must be at least 2, got 1");
    assertThatThrownBy(() -> EarlyStopping.create("pbt", Goal.MAXIMIZE, 1, 3, 10))
        .hasMessageContaining("must be one of asha, hyperband, median, none");
  }
}
