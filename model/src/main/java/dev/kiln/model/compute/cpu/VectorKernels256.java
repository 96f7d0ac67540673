package dev.kiln.model.compute.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked micro-kernels on the JDK Vector API with 256-bit float vectors (8 lanes). The
 * bodies are unrolled by hand (generated once, kept as source) because vectors passed to a method
 * that does not inline get boxed, which costs a factor of ten. Loaded only when {@code
 * jdk.incubator.vector} is present and 256-bit vectors are what the CPU runs natively.
 */
final class VectorKernels256 implements GemmKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;

  @Override
  public String name() {
    return "vector256";
  }

  @Override
  public int mr() {
    return 6;
  }

  @Override
  public int nr(int n) {
    return n <= 8 ? 8 : 16;
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
    if (nr == 16) {
      k6x16(kc, a, ao, aks, b, bo, bks, c, co, ldc, accumulate);
    } else {
      k6x8(kc, a, ao, aks, b, bo, bks, c, co, ldc, accumulate);
    }
  }

  /** C[6x16] (+)= A panel x B panel over kc steps; vectors stay in registers. */
  private static void k6x16(
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
    for (int k = 0; k < kc; k++) {
      FloatVector b0 = FloatVector.fromArray(S, b, bo);
      FloatVector b1 = FloatVector.fromArray(S, b, bo + 8);
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
      ao += aks;
      bo += bks;
    }
    if (accumulate) {
      FloatVector.fromArray(S, c, co).add(c0_0).intoArray(c, co);
      FloatVector.fromArray(S, c, co + 8).add(c0_1).intoArray(c, co + 8);
      FloatVector.fromArray(S, c, co + 1 * ldc).add(c1_0).intoArray(c, co + 1 * ldc);
      FloatVector.fromArray(S, c, co + 1 * ldc + 8).add(c1_1).intoArray(c, co + 1 * ldc + 8);
      FloatVector.fromArray(S, c, co + 2 * ldc).add(c2_0).intoArray(c, co + 2 * ldc);
      FloatVector.fromArray(S, c, co + 2 * ldc + 8).add(c2_1).intoArray(c, co + 2 * ldc + 8);
      FloatVector.fromArray(S, c, co + 3 * ldc).add(c3_0).intoArray(c, co + 3 * ldc);
      FloatVector.fromArray(S, c, co + 3 * ldc + 8).add(c3_1).intoArray(c, co + 3 * ldc + 8);
      FloatVector.fromArray(S, c, co + 4 * ldc).add(c4_0).intoArray(c, co + 4 * ldc);
      FloatVector.fromArray(S, c, co + 4 * ldc + 8).add(c4_1).intoArray(c, co + 4 * ldc + 8);
      FloatVector.fromArray(S, c, co + 5 * ldc).add(c5_0).intoArray(c, co + 5 * ldc);
      FloatVector.fromArray(S, c, co + 5 * ldc + 8).add(c5_1).intoArray(c, co + 5 * ldc + 8);
    } else {
      c0_0.intoArray(c, co);
      c0_1.intoArray(c, co + 8);
      c1_0.intoArray(c, co + 1 * ldc);
      c1_1.intoArray(c, co + 1 * ldc + 8);
      c2_0.intoArray(c, co + 2 * ldc);
      c2_1.intoArray(c, co + 2 * ldc + 8);
      c3_0.intoArray(c, co + 3 * ldc);
      c3_1.intoArray(c, co + 3 * ldc + 8);
      c4_0.intoArray(c, co + 4 * ldc);
      c4_1.intoArray(c, co + 4 * ldc + 8);
      c5_0.intoArray(c, co + 5 * ldc);
      c5_1.intoArray(c, co + 5 * ldc + 8);
    }
  }

  /** C[6x8] (+)= A panel x B panel over kc steps; vectors stay in registers. */
  private static void k6x8(
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
    } else {
      c0_0.intoArray(c, co);
      c1_0.intoArray(c, co + 1 * ldc);
      c2_0.intoArray(c, co + 2 * ldc);
      c3_0.intoArray(c, co + 3 * ldc);
      c4_0.intoArray(c, co + 4 * ldc);
      c5_0.intoArray(c, co + 5 * ldc);
    }
  }
}
