package dev.kiln.tuner.math;

/**
 * A small, fully specified random generator (SplitMix64), so that a seed gives the same numbers on
 * every JVM. Strategies derive one generator per purpose from (seed, trial index, ...) instead of
 * keeping a generator between calls, which keeps them pure functions of their inputs.
 */
public final class Rng {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private long state;

  public Rng(long seed) {
    this.state = seed;
  }

  /** A generator for the stream named by {@code keys} under {@code seed}. */
  public static Rng of(long seed, long... keys) {
    long h = mix(seed + GOLDEN);
    for (long k : keys) {
      h = mix(h ^ mix(k + GOLDEN));
    }
    return new Rng(h);
  }

  /** The SplitMix64 finalizer: a bijective 64-bit hash. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  public long nextLong() {
    state += GOLDEN;
    return mix(state);
  }

  /** Uniform in [0, 1). */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, bound). */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, got " + bound);
    }
    return (int) ((nextLong() >>> 1) % bound);
  }

  /** A point uniform in [0, 1)^dims. */
  public double[] nextUnit(int dims) {
    double[] u = new double[dims];
    for (int i = 0; i < dims; i++) {
      u[i] = nextDouble();
    }
    return u;
  }

  /** Standard normal (Box–Muller, one value per call). */
  public double nextGaussian() {
    double u1 = 1.0 - nextDouble();
    double u2 = nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }
}
