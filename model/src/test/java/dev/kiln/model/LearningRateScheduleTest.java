package dev.kiln.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

  @Test
  void constantNeverChanges() {
    LearningRateSchedule s = new LearningRateSchedule(ScheduleConfig.constant(), 0.1f, 5);
    assertThat(s.at(0, 0, 10)).isEqualTo(0.1f);
    assertThat(s.at(4, 9, 10)).isEqualTo(0.1f);
  }

  @Test
  void stepMultipliesByGammaEveryStepEpochs() {
    ScheduleConfig c = new ScheduleConfig(ScheduleConfig.Type.STEP, 2, 0.5f, 0f);
    LearningRateSchedule s = new LearningRateSchedule(c, 0.8f, 10);
    assertThat(s.at(0, 5, 10)).isEqualTo(0.8f);
    assertThat(s.at(1, 9, 10)).isEqualTo(0.8f);
    assertThat(s.at(2, 0, 10)).isEqualTo(0.4f);
    assertThat(s.at(5, 0, 10)).isEqualTo(0.2f);
  }

  @Test
  void cosineDecaysPerStepToTheMinimum() {
    ScheduleConfig c = new ScheduleConfig(ScheduleConfig.Type.COSINE, 1, 1f, 0.01f);
    LearningRateSchedule s = new LearningRateSchedule(c, 1f, 4);
    assertThat(s.at(0, 0, 10)).isEqualTo(1f);
    assertThat(s.at(2, 0, 10)).isCloseTo(0.505f, Offset.offset(1e-6f));
    assertThat(s.at(1, 5, 10)).isLessThan(s.at(1, 4, 10));
    assertThat(s.at(3, 9, 10)).isGreaterThan(0.01f).isLessThan(0.02f);
    assertThat(s.at(4, 0, 10)).isCloseTo(0.01f, Offset.offset(1e-7f));
  }
}
