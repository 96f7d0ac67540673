package dev.kiln.tuner.math;

/**
 * The Sobol low-discrepancy sequence with Joe and Kuo's direction numbers ({@code
 * new-joe-kuo-6.21201}), up to {@value #MAX_DIMENSIONS} dimensions, 32 bits per coordinate. Point
 * {@code i} is computed directly from {@code i} (Gray-code order), so any point can be asked for
 * without generating the ones before it.
 */
public final class Sobol {
  public static final int MAX_DIMENSIONS = 21;
  private static final int BITS = 32;

  /** Joe–Kuo rows for dimensions 2..21: {s, a, m_1, ..., m_s}. */
  private static final int[][] JOE_KUO = {
    {1, 0, 1},
    {2, 1, 1, 3},
    {3, 1, 1, 3, 1},
    {3, 2, 1, 1, 1},
    {4, 1, 1, 1, 3, 3},
    {4, 4, 1, 3, 5, 13},
    {5, 2, 1, 1, 5, 5, 17},
    {5, 4, 1, 1, 5, 5, 5},
    {5, 7, 1, 1, 7, 11, 19},
    {5, 11, 1, 1, 5, 1, 1},
    {5, 13, 1, 1, 1, 3, 11},
    {5, 14, 1, 3, 5, 5, 31},
    {6, 1, 1, 3, 3, 9, 7, 49},
    {6, 13, 1, 1, 1, 15, 21, 21},
    {6, 16, 1, 3, 1, 13, 27, 49},
    {6, 19, 1, 1, 1, 15, 7, 5},
    {6, 22, 1, 3, 1, 15, 13, 25},
    {6, 25, 1, 1, 5, 5, 19, 61},
    {7, 1, 1, 3, 7, 11, 23, 15, 103},
    {7, 4, 1, 3, 7, 13, 13, 15, 69},
  };

  private final long[][] directions; // [dimension][bit], each a 32-bit value

  public Sobol(int dimensions) {
    if (dimensions < 1 || dimensions > MAX_DIMENSIONS) {
      throw new IllegalArgumentException(
          "Sobol supports 1 to " + MAX_DIMENSIONS + " dimensions, got " + dimensions);
    }
    directions = new long[dimensions][BITS];
    for (int k = 0; k < BITS; k++) {
      directions[0][k] = 1L << (BITS - 1 - k);
    }
    for (int d = 1; d < dimensions; d++) {
      int[] row = JOE_KUO[d - 1];
      int s = row[0];
      int a = row[1];
      long[] m = new long[BITS];
      for (int k = 0; k < s; k++) {
        m[k] = row[2 + k];
      }
      for (int k = s; k < BITS; k++) {
        long v = m[k - s] ^ (m[k - s] << s);
        for (int i = 1; i < s; i++) {
          if (((a >>> (s - 1 - i)) & 1) != 0) {
            v ^= m[k - i] << i;
          }
        }
        m[k] = v;
      }
      for (int k = 0; k < BITS; k++) {
        directions[d][k] = (m[k] << (BITS - 1 - k)) & 0xFFFFFFFFL;
      }
    }
  }

  public int dimensions() {
    return directions.length;
  }

  /** Point {@code index} (0 is the origin) as 32-bit integers, one per dimension. */
  public long[] pointBits(long index) {
    if (index < 0 || index >= (1L << BITS)) {
      throw new IllegalArgumentException("Sobol index out of range: " + index);
    }
    long gray = index ^ (index >>> 1);
    long[] x = new long[directions.length];
    for (int k = 0; gray != 0; k++, gray >>>= 1) {
      if ((gray & 1) != 0) {
        for (int d = 0; d < x.length; d++) {
          x[d] ^= directions[d][k];
        }
      }
    }
    return x;
  }

  /** Point {@code index} in [0, 1)^d. */
  public double[] point(long index) {
    return point(index, null);
  }

  /**
   * Point {@code index} after a digital shift (XOR with {@code shift}, one 32-bit value per
   * dimension), which keeps the sequence's stratification; {@code shift} may be null.
   */
  public double[] point(long index, long[] shift) {
    long[] bits = pointBits(index);
    double[] u = new double[bits.length];
    for (int d = 0; d < u.length; d++) {
      long b = shift == null ? bits[d] : bits[d] ^ (shift[d] & 0xFFFFFFFFL);
      u[d] = (b + 0.5 * (shift == null ? 0 : 1)) * 0x1.0p-32;
    }
    return u;
  }

  /** A random digital shift for this sequence's dimensions. */
  public long[] randomShift(Rng rng) {
    long[] s = new long[directions.length];
    for (int d = 0; d < s.length; d++) {
      s[d] = rng.nextLong() & 0xFFFFFFFFL;
    }
    return s;
  }
}
