package dev.kiln.model.compute.cpu;

/**
 * Plain-Java micro-kernels, used when the JVM runs without {@code --add-modules
 * jdk.incubator.vector}. Same arithmetic as the Vector API kernels ({@link Math#fma} chains from
 * zero), so results are bit-identical. JDK 17's auto-vectorizer does not vectorize these loops, so
 * they keep 4×4 scalar accumulators in registers instead — several times slower than the vector
 * kernels, which is why the worker's JVM should get the module.
 */
final class JavaGemmKernels implements GemmKernels {
  private static final int MR = 8;
  private static final int NR_WIDE = 32;
  private static final int NR_NARROW = 16;

  @Override
  public String name() {
    return "java";
  }

  @Override
  public int mr() {
    return MR;
  }

  @Override
  public int nr(int n) {
    return n <= NR_NARROW ? NR_NARROW : NR_WIDE;
  }

  @Override
  public void tile(
      int nr,
      int kc,
      float[] a,
      int ao,
      int aks,
      float[] b,
      int bo,
      int bks,
      float[] c,
      int co,
      int ldc,
      boolean accumulate) {
    for (int r0 = 0; r0 < MR; r0 += 4) {
      for (int j0 = 0; j0 < nr; j0 += 4) {
        block(kc, a, ao + r0, aks, b, bo + j0, bks, c, co + r0 * ldc + j0, ldc, accumulate);
      }
    }
  }

  /** One 4×4 block with its sixteen accumulators in registers. */
  private static void block(
      int kc,
      float[] a,
      int ak,
      int aks,
      float[] b,
      int bk,
      int bks,
      float[] c,
      int o,
      int ldc,
      boolean accumulate) {
    float c00 = 0f;
    float c01 = 0f;
    float c02 = 0f;
    float c03 = 0f;
    float c10 = 0f;
    float c11 = 0f;
    float c12 = 0f;
    float c13 = 0f;
    float c20 = 0f;
    float c21 = 0f;
    float c22 = 0f;
    float c23 = 0f;
    float c30 = 0f;
    float c31 = 0f;
    float c32 = 0f;
    float c33 = 0f;
    for (int k = 0; k < kc; k++) {
      float a0 = a[ak];
      float a1 = a[ak + 1];
      float a2 = a[ak + 2];
      float a3 = a[ak + 3];
      float b0 = b[bk];
      float b1 = b[bk + 1];
      float b2 = b[bk + 2];
      float b3 = b[bk + 3];
      c00 = Math.fma(a0, b0, c00);
      c01 = Math.fma(a0, b1, c01);
      c02 = Math.fma(a0, b2, c02);
      c03 = Math.fma(a0, b3, c03);
      c10 = Math.fma(a1, b0, c10);
      c11 = Math.fma(a1, b1, c11);
      c12 = Math.fma(a1, b2, c12);
      c13 = Math.fma(a1, b3, c13);
      c20 = Math.fma(a2, b0, c20);
      c21 = Math.fma(a2, b1, c21);
      c22 = Math.fma(a2, b2, c22);
      c23 = Math.fma(a2, b3, c23);
      c30 = Math.fma(a3, b0, c30);
      c31 = Math.fma(a3, b1, c31);
      c32 = Math.fma(a3, b2, c32);
      c33 = Math.fma(a3, b3, c33);
      ak += aks;
      bk += bks;
    }
    store(c, o, c00, c01, c02, c03, accumulate);
    store(c, o + ldc, c10, c11, c12, c13, accumulate);
    store(c, o + 2 * ldc, c20, c21, c22, c23, accumulate);
    store(c, o + 3 * ldc, c30, c31, c32, c33, accumulate);
  }

  private static void store(
      float[] c, int o, float v0, float v1, float v2, float v3, boolean accumulate) {
    if (accumulate) {
      c[o] += v0;
      c[o + 1] += v1;
      c[o + 2] += v2;
      c[o + 3] += v3;
    } else {
      c[o] = v0;
      c[o + 1] = v1;
      c[o + 2] = v2;
      c[o + 3] = v3;
    }
  }
}
