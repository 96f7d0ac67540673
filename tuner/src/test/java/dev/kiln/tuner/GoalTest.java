package dev.kiln.tuner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GoalTest {
  @Test
  void maximizingMeansLowerLossForHigherValues() {
    assertThat(Goal.parse("Maximize").toLoss(0.9)).isEqualTo(-0.9);
    assertThat(Goal.MAXIMIZE.isBetter(0.9, 0.8)).isTrue();
    assertThat(Goal.MINIMIZE.isBetter(0.9, 0.8)).isFalse();
    assertThat(Goal.MINIMIZE.wireName()).isEqualTo("minimize");
  }

  @Test
  void rejectsUnknownGoals() {
    assertThatThrownBy(() -> Goal.parse("max"))
        .hasMessage("objective goal must be 'minimize' or 'maximize', got 'max'");
  }
}
