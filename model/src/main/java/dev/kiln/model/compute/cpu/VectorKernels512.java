package dev.kiln.model.compute.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked micro-kernels on the JDK Vector API with 512-bit float vectors (16 lanes). The
 * bodies are unrolled by hand (generated once, kept as source) because vectors passed to a method
 * that does not inline get boxed, which costs a factor of ten. Loaded only when {@code
 * jdk.incubator.vector} is present and 512-bit vectors are what the CPU runs natively.
 */
final class VectorKernels512 implements GemmKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;

  @Override
  public String name() {
    return "vector512";
  }

  @Override
  public int mr() {
    return 12;
  }

  @Override
  public int nr(int n) {
    return n <= 16 ? 16 : 32;
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
    if (nr == 32) {
      k12x32(kc, a, ao, aks, b, bo, bks, c, co, ldc, accumulate);
    } else {
      k12x16(kc, a, ao, aks, b, bo, bks, c, co, ldc, accumulate);
    }
  }

  /** C[12x32] (+)= A panel x B panel over kc steps; vectors stay in registers. */
  private static void k12x32(
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
    FloatVector c0_0 = FloatVector.zero(S);
    FloatVector c0_1 = c0_0;
    FloatVector c1_0 = c0_0;
    FloatVector c1_1 = c0_0;
    FloatVector c2_0 = c0_0;
    FloatVector c2_1 = c0_0;
    FloatVector c3_0 = c0_0;
    FloatVector c3_1 = c0_0;
    FloatVector c4_0 = c0_0;
    FloatVector c4_1 = c0_0;
    FloatVector c5_0 = c0_0;
    FloatVector c5_1 = c0_0;
    FloatVector c6_0 = c0_0;
    FloatVector c6_1 = c0_0;
    FloatVector c7_0 = c0_0;
    FloatVector c7_1 = c0_0;
    FloatVector c8_0 = c0_0;
    FloatVector c8_1 = c0_0;
    FloatVector c9_0 = c0_0;
    FloatVector c9_1 = c0_0;
    FloatVector c10_0 = c0_0;
    FloatVector c10_1 = c0_0;
    FloatVector c11_0 = c0_0;
    FloatVector c11_1 = c0_0;
    for (int k = 0; k < kc; k++) {
      FloatVector b0 = FloatVector.fromArray(S, b, bo);
      FloatVector b1 = FloatVector.fromArray(S, b, bo + 16);
      FloatVector a0 = FloatVector.broadcast(S, a[ao]);
      c0_0 = a0.fma(b0, c0_0);
      c0_1 = a0.fma(b1, c0_1);
      FloatVector a1 = FloatVector.broadcast(S, a[ao + 1]);
      c1_0 = a1.fma(b0, c1_0);
      c1_1 = a1.fma(b1, c1_1);
      FloatVector a2 = FloatVector.broadcast(S, a[ao + 2]);
      c2_0 = a2.fma(b0, c2_0);
      c2_1 = a2.fma(b1, c2_1);
      FloatVector a3 = FloatVector.broadcast(S, a[ao + 3]);
      c3_0 = a3.fma(b0, c3_0);
      c3_1 = a3.fma(b1, c3_1);
      FloatVector a4 = FloatVector.broadcast(S, a[ao + 4]);
      c4_0 = a4.fma(b0, c4_0);
      c4_1 = a4.fma(b1, c4_1);
      FloatVector a5 = FloatVector.broadcast(S, a[ao + 5]);
      c5_0 = a5.fma(b0, c5_0);
      c5_1 = a5.fma(b1, c5_1);
      FloatVector a6 = FloatVector.broadcast(S, a[ao + 6]);
      c6_0 = a6.fma(b0, c6_0);
      c6_1 = a6.fma(b1, c6_1);
      FloatVector a7 = FloatVector.broadcast(S, a[ao + 7]);
      c7_0 = a7.fma(b0, c7_0);
      c7_1 = a7.fma(b1, c7_1);
      FloatVector a8 = FloatVector.broadcast(S, a[ao + 8]);
      c8_0 = a8.fma(b0, c8_0);
      c8_1 = a8.fma(b1, c8_1);
      FloatVector a9 = FloatVector.broadcast(S, a[ao + 9]);
      c9_0 = a9.fma(b0, c9_0);
      c9_1 = a9.fma(b1, c9_1);
      FloatVector a10 = FloatVector.broadcast(S, a[ao + 10]);
      c10_0 = a10.fma(b0, c10_0);
      c10_1 = a10.fma(b1, c10_1);
      FloatVector a11 = FloatVector.broadcast(S, a[ao + 11]);
      c11_0 = a11.fma(b0, c11_0);
      c11_1 = a11.fma(b1, c11_1);
      ao += aks;
      bo += bks;
    }
    if (accumulate) {
      FloatVector.fromArray(S, c, co).add(c0_0).intoArray(c, co);
      FloatVector.fromArray(S, c, co + 16).add(c0_1).intoArray(c, co + 16);
      FloatVector.fromArray(S, c, co + 1 * ldc).add(c1_0).intoArray(c, co + 1 * ldc);
      FloatVector.fromArray(S, c, co + 1 * ldc + 16).add(c1_1).intoArray(c, co + 1 * ldc + 16);
      FloatVector.fromArray(S, c, co + 2 * ldc).add(c2_0).intoArray(c, co + 2 * ldc);
      FloatVector.fromArray(S, c, co + 2 * ldc + 16).add(c2_1).intoArray(c, co + 2 * ldc + 16);
      FloatVector.fromArray(S, c, co + 3 * ldc).add(c3_0).intoArray(c, co + 3 * ldc);
      FloatVector.fromArray(S, c, co + 3 * ldc + 16).add(c3_1).intoArray(c, co + 3 * ldc + 16);
      FloatVector.fromArray(S, c, co + 4 * ldc).add(c4_0).intoArray(c, co + 4 * ldc);
      FloatVector.fromArray(S, c, co + 4 * ldc + 16).add(c4_1).intoArray(c, co + 4 * ldc + 16);
      FloatVector.fromArray(S, c, co + 5 * ldc).add(c5_0).intoArray(c, co + 5 * ldc);
      FloatVector.fromArray(S, c, co + 5 * ldc + 16).add(c5_1).intoArray(c, co + 5 * ldc + 16);
      FloatVector.fromArray(S, c, co + 6 * ldc).add(c6_0).intoArray(c, co + 6 * ldc);
      FloatVector.fromArray(S, c, co + 6 * ldc + 16).add(c6_1).intoArray(c, co + 6 * ldc + 16);
      FloatVector.fromArray(S, c, co + 7 * ldc).add(c7_0).intoArray(c, co + 7 * ldc);
      FloatVector.fromArray(S, c, co + 7 * ldc + 16).add(c7_1).intoArray(c, co + 7 * ldc + 16);
      FloatVector.fromArray(S, c, co + 8 * ldc).add(c8_0).intoArray(c, co + 8 * ldc);
      FloatVector.fromArray(S, c, co + 8 * ldc + 16).add(c8_1).intoArray(c, co + 8 * ldc + 16);
      FloatVector.fromArray(S, c, co + 9 * ldc).add(c9_0).intoArray(c, co + 9 * ldc);
      FloatVector.fromArray(S, c, co + 9 * ldc + 16).add(c9_1).intoArray(c, co + 9 * ldc + 16);
      FloatVector.fromArray(S, c, co + 10 * ldc).add(c10_0).intoArray(c, co + 10 * ldc);
      FloatVector.fromArray(S, c, co + 10 * ldc + 16).add(c10_1).intoArray(c, co + 10 * ldc + 16);
      FloatVector.fromArray(S, c, co + 11 * ldc).add(c11_0).intoArray(c, co + 11 * ldc);
      FloatVector.fromArray(S, c, co + 11 * ldc + 16).add(c11_1).intoArray(c, co + 11 * ldc + 16);
    } else {
      c0_0.intoArray(c, co);
      c0_1.intoArray(c, co + 16);
      c1_0.intoArray(c, co + 1 * ldc);
      c1_1.intoArray(c, co + 1 * ldc + 16);
      c2_0.intoArray(c, co + 2 * ldc);
      c2_1.intoArray(c, co + 2 * ldc + 16);
      c3_0.intoArray(c, co + 3 * ldc);
      c3_1.intoArray(c, co + 3 * ldc + 16);
      c4_0.intoArray(c, co + 4 * ldc);
      c4_1.intoArray(c, co + 4 * ldc + 16);
      c5_0.intoArray(c, co + 5 * ldc);
      c5_1.intoArray(c, co + 5 * ldc + 16);
      c6_0.intoArray(c, co + 6 * ldc);
      c6_1.intoArray(c, co + 6 * ldc + 16);
      c7_0.intoArray(c, co + 7 * ldc);
      c7_1.intoArray(c, co + 7 * ldc + 16);
      c8_0.intoArray(c, co + 8 * ldc);
      c8_1.intoArray(c, co + 8 * ldc + 16);
      c9_0.intoArray(c, co + 9 * ldc);
      c9_1.intoArray(c, co + 9 * ldc + 16);
      c10_0.intoArray(c, co + 10 * ldc);
      c10_1.intoArray(c, co + 10 * ldc + 16);
      c11_0.intoArray(c, co + 11 * ldc);
      c11_1.intoArray(c, co + 11 * ldc + 16);
    }
  }

  /** C[12x16] (+)= A panel x B panel over kc steps; vectors stay in registers. */
  private static void k12x16(
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
    FloatVector c0_0 = FloatVector.zero(S);
    FloatVector c1_0 = c0_0;
    FloatVector c2_0 = c0_0;
    FloatVector c3_0 = c0_0;
    FloatVector c4_0 = c0_0;
    FloatVector c5_0 = c0_0;
    FloatVector c6_0 = c0_0;
    FloatVector c7_0 = c0_0;
    FloatVector c8_0 = c0_0;
    FloatVector c9_0 = c0_0;
    FloatVector c10_0 = c0_0;
    FloatVector c11_0 = c0_0;
    for (int k = 0; k < kc; k++) {
      FloatVector b0 = FloatVector.fromArray(S, b, bo);
      FloatVector a0 = FloatVector.broadcast(S, a[ao]);
      c0_0 = a0.fma(b0, c0_0);
      FloatVector a1 = FloatVector.broadcast(S, a[ao + 1]);
      c1_0 = a1.fma(b0, c1_0);
      FloatVector a2 = FloatVector.broadcast(S, a[ao + 2]);
      c2_0 = a2.fma(b0, c2_0);
      FloatVector a3 = FloatVector.broadcast(S, a[ao + 3]);
      c3_0 = a3.fma(b0, c3_0);
      FloatVector a4 = FloatVector.broadcast(S, a[ao + 4]);
      c4_0 = a4.fma(b0, c4_0);
      FloatVector a5 = FloatVector.broadcast(S, a[ao + 5]);
      c5_0 = a5.fma(b0, c5_0);
      FloatVector a6 = FloatVector.broadcast(S, a[ao + 6]);
      c6_0 = a6.fma(b0, c6_0);
      FloatVector a7 = FloatVector.broadcast(S, a[ao + 7]);
      c7_0 = a7.fma(b0, c7_0);
      FloatVector a8 = FloatVector.broadcast(S, a[ao + 8]);
      c8_0 = a8.fma(b0, c8_0);
      FloatVector a9 = FloatVector.broadcast(S, a[ao + 9]);
      c9_0 = a9.fma(b0, c9_0);
      FloatVector a10 = FloatVector.broadcast(S, a[ao + 10]);
      c10_0 = a10.fma(b0, c10_0);
      FloatVector a11 = FloatVector.broadcast(S, a[ao + 11]);
      c11_0 = a11.fma(b0, c11_0);
      ao += aks;
      bo += bks;
    }
    if (accumulate) {
      FloatVector.fromArray(S, c, co).add(c0_0).intoArray(c, co);
      FloatVector.fromArray(S, c, co + 1 * ldc).add(c1_0).intoArray(c, co + 1 * ldc);
      FloatVector.fromArray(S, c, co + 2 * ldc).add(c2_0).intoArray(c, co + 2 * ldc);
      FloatVector.fromArray(S, c, co + 3 * ldc).add(c3_0).intoArray(c, co + 3 * ldc);
      FloatVector.fromArray(S, c, co + 4 * ldc).add(c4_0).intoArray(c, co + 4 * ldc);
      FloatVector.fromArray(S, c, co + 5 * ldc).add(c5_0).intoArray(c, co + 5 * ldc);
      FloatVector.fromArray(S, c, co + 6 * ldc).add(c6_0).intoArray(c, co + 6 * ldc);
      FloatVector.fromArray(S, c, co + 7 * ldc).add(c7_0).intoArray(c, co + 7 * ldc);
      FloatVector.fromArray(S, c, co + 8 * ldc).add(c8_0).intoArray(c, co + 8 * ldc);
      FloatVector.fromArray(S, c, co + 9 * ldc).add(c9_0).intoArray(c, co + 9 * ldc);
      FloatVector.fromArray(S, c, co + 10 * ldc).add(c10_0).intoArray(c, co + 10 * ldc);
      FloatVector.fromArray(S, c, co + 11 * ldc).add(c11_0).intoArray(c, co + 11 * ldc);
    } else {
      c0_0.intoArray(c, co);
      c1_0.intoArray(c, co + 1 * ldc);
      c2_0.intoArray(c, co + 2 * ldc);
      c3_0.intoArray(c, co + 3 * ldc);
      c4_0.intoArray(c, co + 4 * ldc);
      c5_0.intoArray(c, co + 5 * ldc);
      c6_0.intoArray(c, co + 6 * ldc);
      c7_0.intoArray(c, co + 7 * ldc);
      c8_0.intoArray(c, co + 8 * ldc);
      c9_0.intoArray(c, co + 9 * ldc);
      c10_0.intoArray(c, co + 10 * ldc);
      c11_0.intoArray(c, co + 11 * ldc);
    }
  }
}
