package dev.kiln.tuner.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SobolTest {
  /**
   * Reference points from scipy.stats.qmc.Sobol(d=20, scramble=False) (Joe–Kuo direction numbers),
   * as multiples of 2^-30, for indices 1, 2, 3, 5, 100, 1000 and 4097.
   */
  private static final long[] INDICES = {1, 2, 3, 5, 100, 1000, 4097};

  private static final long[][] SCIPY = {
    {
      536870912, 536870912, 536870912, 536870912, 536870912, 536870912, 536870912, 536870912,
      536870912, 536870912, 536870912, 536870912, 536870912, 536870912, 536870912, 536870912,
      536870912, 536870912, 536870912, 536870912
    },
    {
      805306368, 268435456, 268435456, 268435456, 805306368, 805306368, 268435456, 805306368,
      805306368, 805306368, 805306368, 805306368, 268435456, 268435456, 805306368, 268435456,
      805306368, 268435456, 805306368, 268435456
    },
    {
      268435456, 805306368, 805306368, 805306368, 268435456, 268435456, 805306368, 268435456,
      268435456, 268435456, 268435456, 268435456, 805306368, 805306368, 268435456, 805306368,
      268435456, 805306368, 268435456, 805306368
    },
    {
      939524096, 939524096, 134217728, 402653184, 939524096, 671088640, 939524096, 402653184,
      402653184, 134217728, 402653184, 939524096, 939524096, 134217728, 939524096, 402653184,
      939524096, 402653184, 402653184, 671088640
    },
    {
      444596224, 276824064, 830472192, 780140544, 947912704, 796917760, 25165824, 511705088,
      679477248, 746586112, 494927872, 729808896, 511705088, 914358272, 343932928, 528482304,
      729808896, 796917760, 897581056, 360710144
    },
    {
      235929600, 103809024, 556793856, 726663168, 300941312, 974127104, 49283072, 965738496,
      537919488, 74448896, 91226112, 273678336, 173015040, 412090368, 154140672, 397410304,
      772800512, 370147328, 1064304640, 779091968
    },
    {
      537264128, 1042153472, 360579072, 129368064, 713949184, 46006272, 224002048, 361627648,
      174981120, 531234816, 370540544, 656277504, 27131904, 960888832, 174456832, 835059712,
      659947520, 96862208, 585498624, 1036124160
    },
  };

  @Test
  void matchesTheReferenceSequence() {
    Sobol sobol = new Sobol(20);
    assertThat(sobol.point(0)).containsOnly(0.0);
    for (int i = 0; i < INDICES.length; i++) {
      double[] p = sobol.point(INDICES[i]);
      for (int d = 0; d < 20; d++) {
        assertThat(p[d])
            .as("point %d, dimension %d", INDICES[i], d)
            .isEqualTo(SCIPY[i][d] / 0x1.0p30);
      }
    }
  }

  @Test
  void firstPointsOfTwoDimensionsAreTheTextbookOnes() {
    Sobol sobol = new Sobol(2);
    double[][] expected = {{0, 0}, {0.5, 0.5}, {0.75, 0.25}, {0.25, 0.75}, {0.375, 0.375}};
    for (int i = 0; i < expected.length; i++) {
      assertThat(sobol.point(i)).containsExactly(expected[i]);
    }
  }

  @Test
  void aDigitalShiftKeepsOnePointPerStratum() {
    Sobol sobol = new Sobol(3);
    long[] shift = sobol.randomShift(new Rng(7));
    for (int d = 0; d < 3; d++) {
      Set<Integer> cells = new HashSet<>();
      for (int i = 0; i < 64; i++) {
        double u = sobol.point(i, shift)[d];
        assertThat(u).isGreaterThan(0).isLessThan(1);
        cells.add((int) (u * 64));
      }
      assertThat(cells).hasSize(64);
    }
  }

  @Test
  void supportsUpToTwentyOneDimensions() {
    assertThat(new Sobol(21).point(3)).hasSize(21);
    assertThatThrownBy(() -> new Sobol(22)).hasMessageContaining("1 to 21 dimensions");
  }
}
