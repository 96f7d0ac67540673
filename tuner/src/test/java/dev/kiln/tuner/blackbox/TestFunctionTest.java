package dev.kiln.tuner.blackbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TestFunctionTest {
  @Test
  void minimaAreWhereTheLiteratureSays() throws Exception {
    assertThat(TestFunction.BRANIN.at(Math.PI, 2.275)).isCloseTo(0.397887, within(1e-6));
    assertThat(TestFunction.BRANIN.at(-Math.PI, 12.275)).isCloseTo(0.397887, within(1e-6));
    assertThat(TestFunction.HARTMANN6.at(0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573))
        .isCloseTo(-3.32237, within(1e-5));
    assertThat(TestFunction.ROSENBROCK4.at(1, 1, 1, 1)).isEqualTo(0);
    assertThat(TestFunction.BRANIN.objective().evaluate(Map.of("x0", Math.PI, "x1", 2.275)))
        .isCloseTo(0.397887, within(1e-6));
  }

  @Test
  void spacesMatchThePeerBounds() {
    assertThat(TestFunction.BRANIN.space().get(1).max()).isEqualTo(15);
    assertThat(TestFunction.HARTMANN6.space().size()).isEqualTo(6);
    assertThat(TestFunction.ROSENBROCK4.space().get(3).min()).isEqualTo(-5);
  }
}
