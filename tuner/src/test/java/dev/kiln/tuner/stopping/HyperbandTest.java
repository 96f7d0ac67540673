package dev.kiln.tuner.stopping;

import static dev.kiln.tuner.stopping.Histories.flat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.tuner.Goal;
import dev.kiln.tuner.Trial;
import dev.kiln.tuner.TrialState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HyperbandTest {
  private final Hyperband hb =
      (Hyperband) EarlyStopping.create("hyperband", Goal.MINIMIZE, 1, 3, 9);

  @Test
  void allocatesBracketsInHyperbandsProportions() {
    // Rungs 1, 3, 9: brackets start at 1 (9 per cycle), 3 (5 per cycle) and 9 (3 per cycle).
    Map<Integer, Integer> starts = new HashMap<>();
    for (int k = 0; k < 17; k++) {
      starts.merge(hb.initialEpochs(k), 1, Integer::sum);
    }
    assertThat(starts).containsEntry(1, 9).containsEntry(3, 5).containsEntry(9, 3);
    assertThat(hb.initialEpochs(0)).isEqualTo(1);
    assertThat(hb.initialEpochs(17)).isEqualTo(hb.initialEpochs(0));
  }

  @Test
  void promotesWithinEachBracket() {
    List<Trial> trials = new ArrayList<>();
    for (int k = 0; k < 34; k++) {
      int epochs = hb.initialEpochs(k);
      if (epochs < 9) {
        trials.add(flat(k, TrialState.PAUSED, epochs, k)); // lower index: lower loss
      }
    }
    List<Promotion> p = hb.promotions(trials, 100);
    // Bracket 0: 18 trials at rung 1 -> 6 promoted to 3. Bracket 1: 10 trials at rung 3 -> 3 to 9.
    assertThat(p.stream().filter(x -> x.epochs() == 9)).hasSize(3);
    assertThat(p.stream().filter(x -> x.epochs() == 3)).hasSize(6);
    assertThat(p.subList(0, 3))
        .allMatch(x -> x.fromEpoch() == 3 && hb.bracketOf(x.trialIndex()) == 1);
    assertThat(p.subList(3, 9))
        .allMatch(x -> x.fromEpoch() == 1 && hb.bracketOf(x.trialIndex()) == 0);
  }
}
