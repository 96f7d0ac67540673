package dev.kiln.tuner.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NormalTest {
  @Test
  void erfcAndCdfMatchReferenceValues() {
    // Reference values: scipy.special.erfc, scipy.special.log_ndtr.
    assertThat(Normal.erfc(0.3)).isCloseTo(0.6713732405408726, within(1e-15));
    assertThat(Normal.erfc(2.4) / 0.0006885138966450789).isCloseTo(1, within(1e-12));
    assertThat(Normal.erfc(2.6) / 0.000236034416529349).isCloseTo(1, within(1e-13));
    assertThat(Normal.erfc(6.0) / 2.1519736712498913e-17).isCloseTo(1, within(1e-13));
    assertThat(Normal.cdf(0)).isEqualTo(0.5);
    assertThat(Normal.cdf(-3)).isCloseTo(0.0013498980316300933, within(1e-16));
    assertThat(Normal.logCdf(-3)).isCloseTo(-6.60772622151035, within(1e-12));
    assertThat(Normal.logCdf(-40)).isCloseTo(-804.6084420137539, within(1e-9));
  }

  @Test
  void logHMatchesTheDirectFormulaAndStaysFiniteFarInTheTail() {
    for (double z : new double[] {3, 0.5, 0, -0.99, -1, -2, -4, -7}) {
      double direct = Normal.pdf(z) + z * Normal.cdf(z);
      assertThat(Normal.logH(z, null)).as("z=%s", z).isCloseTo(Math.log(direct), within(1e-9));
    }
    // Continuous where the asymptotic series takes over, and no underflow beyond.
    assertThat(Normal.logH(-40 + 1e-9, null))
        .isCloseTo(Normal.logH(-40 - 1e-9, null), within(1e-6));
    assertThat(Normal.logH(-60, null)).isFinite().isLessThan(Normal.logH(-50, null));
  }

  @Test
  void logHDerivativeMatchesFiniteDifferences() {
    double[] g = new double[1];
    for (double z : new double[] {2, 0.3, -0.5, -1.5, -5, -12, -45}) {
      Normal.logH(z, g);
      double h = 1e-5;
      double fd = (Normal.logH(z + h, null) - Normal.logH(z - h, null)) / (2 * h);
      assertThat(g[0]).as("z=%s", z).isCloseTo(fd, within(1e-5 * Math.max(1, Math.abs(fd))));
    }
  }
}
