package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
  private final Instant t1 = Instant.parse("2026-01-01T00:05:00Z");

  @Test
  void settingTheSameConditionTwiceChangesNothing() {
    List<Condition> conditions = new ArrayList<>();
    assertThat(Conditions.set(conditions, "Ready", false, "Starting", "m", 1L, t0)).isTrue();
    assertThat(Conditions.set(conditions, "Ready", false, "Starting", "m", 1L, t1)).isFalse();
    assertThat(conditions.get(0).getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
  }

  @Test
  void keepsTransitionTimeWhenOnlyTheMessageChanges() {
    List<Condition> conditions = new ArrayList<>();
    Conditions.set(conditions, "Ready", false, "Starting", "1/2 ranks", 1L, t0);
    assertThat(Conditions.set(conditions, "Ready", false, "Starting", "2/2 ranks", 1L, t1))
        .isTrue();
    assertThat(conditions.get(0).getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(conditions.get(0).getMessage()).isEqualTo("2/2 ranks");
  }

  @Test
  void movesTransitionTimeWhenTheStatusFlips() {
    List<Condition> conditions = new ArrayList<>();
    Conditions.set(conditions, "Ready", false, "Starting", "m", 1L, t0);
    Conditions.set(conditions, "Ready", true, "AllRanksRunning", "m", 1L, t1);
    assertThat(conditions).hasSize(1);
    assertThat(conditions.get(0).getLastTransitionTime()).isEqualTo("2026-01-01T00:05:00Z");
    assertThat(Conditions.isTrue(conditions, "Ready")).isTrue();
  }
}
