package dev.kiln.model.compute.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SgemmTest {

  @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4}")
  @CsvSource({
    "false,false,1,1,1",
    "false,false,13,33,7",
    "false,true,25,17,300",
    "true,false,37,65,129",
    "true,true,12,32,256",
    "false,false,128,512,784",
    "true,false,784,10,128",
    "false,true,128,256,10",
    "true,true,5,3,513"
  })
  void matchesADoublePrecisionReference(boolean ta, boolean tb, int m, int n, int k) {
    Problem p = new Problem(ta, tb, m, n, k, 0.75f, 0.5f, 1);
    try (WorkerPool pool = new WorkerPool(3, "t")) {
      float[] c = p.c.clone();
      new Sgemm(GemmKernels.best(), pool)
          .multiply(
              ta, tb, m, n, k, p.alpha, p.a, 3, p.lda, p.b, 5, p.ldb, p.beta, c, 2, p.ldc, null);
      double[] ref = p.reference();
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double e = ref[i * n + j];
          assertThat((double) c[2 + i * p.ldc + j])
              .as("C[%d][%d]", i, j)
              .isCloseTo(
                  e, org.assertj.core.data.Offset.offset(1e-4 * Math.sqrt(k) + 1e-5 * Math.abs(e)));
        }
      }
      // padding columns of C (ldc > n) are untouched
      for (int i = 0; i < m; i++) {
        for (int j = n; j < p.ldc; j++) {
          assertThat(c[2 + i * p.ldc + j]).isEqualTo(p.c[2 + i * p.ldc + j]);
        }
      }
    }
  }

  @Test
  void betaZeroIgnoresWhatCHeldEvenNaN() {
    Problem p = new Problem(false, false, 20, 40, 30, 1f, 0f, 2);
    java.util.Arrays.fill(p.c, Float.NaN);
    try (WorkerPool pool = new WorkerPool(2, "t")) {
      new Sgemm(GemmKernels.best(), pool)
          .multiply(
              false, false, 20, 40, 30, 1f, p.a, 3, p.lda, p.b, 5, p.ldb, 0f, p.c, 2, p.ldc, null);
    }
    for (int i = 0; i < 20; i++) {
      for (int j = 0; j < 40; j++) {
        assertThat(p.c[2 + i * p.ldc + j]).isFinite();
      }
    }
  }

  @Test
  void resultsAreBitIdenticalForAnyThreadCountAndKernel() {
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        Problem p = new Problem(ta, tb, 131, 200, 700, 1f, 0f, 3);
        float[] first = null;
        GemmKernels[] all = {
          new VectorKernels512(), new VectorKernels256(), new JavaGemmKernels(), GemmKernels.best()
        };
        for (GemmKernels kernels : all) {
          for (int threads = 1; threads <= 4; threads++) {
            float[] c = p.c.clone();
            try (WorkerPool pool = new WorkerPool(threads, "t")) {
              new Sgemm(kernels, pool)
                  .multiply(
                      ta, tb, 131, 200, 700, 1f, p.a, 3, p.lda, p.b, 5, p.ldb, 0f, c, 2, p.ldc,
                      null);
            }
            if (first == null) {
              first = c;
            } else {
              assertThat(c).as("%s, %d threads", kernels.name(), threads).isEqualTo(first);
            }
          }
        }
      }
    }
  }

  @Test
  void epilogueSeesEveryElementOnceAfterItsLastUpdate() {
    Problem p = new Problem(false, false, 50, 70, 600, 1f, 0f, 4);
    try (WorkerPool pool = new WorkerPool(2, "t")) {
      Sgemm g = new Sgemm(GemmKernels.best(), pool);
      float[] plain = p.c.clone();
      g.multiply(
          false, false, 50, 70, 600, 1f, p.a, 3, p.lda, p.b, 5, p.ldb, 0f, plain, 2, p.ldc, null);
      float[] doubled = p.c.clone();
      g.multiply(
          false,
          false,
          50,
          70,
          600,
          1f,
          p.a,
          3,
          p.lda,
          p.b,
          5,
          p.ldb,
          0f,
          doubled,
          2,
          p.ldc,
          (c, off, ldc, i0, rows, j0, cols) -> {
            for (int r = 0; r < rows; r++) {
              for (int j = 0; j < cols; j++) {
                c[off + (i0 + r) * ldc + j0 + j] *= 2;
              }
            }
          });
      for (int i = 0; i < 50; i++) {
        for (int j = 0; j < 70; j++) {
          int at = 2 + i * p.ldc + j;
          assertThat(doubled[at]).isEqualTo(2 * plain[at]);
        }
      }
    }
  }

  /** Random operands with offsets and leading dimensions larger than needed. */
  private static final class Problem {
    final boolean ta;
    final boolean tb;
    final int m;
    final int n;
    final int k;
    final float alpha;
    final float beta;
    final int lda;
    final int ldb;
    final int ldc;
    final float[] a;
    final float[] b;
    final float[] c;

    Problem(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta, long seed) {
      this.ta = ta;
      this.tb = tb;
      this.m = m;
      this.n = n;
      this.k = k;
      this.alpha = alpha;
      this.beta = beta;
      lda = (ta ? m : k) + 3;
      ldb = (tb ? k : n) + 1;
      ldc = n + 2;
      SplittableRandom r = new SplittableRandom(seed);
      a = random(r, 3 + (ta ? k : m) * lda);
      b = random(r, 5 + (tb ? n : k) * ldb);
      c = random(r, 2 + m * ldc);
    }

    static float[] random(SplittableRandom r, int n) {
      float[] f = new float[n];
      for (int i = 0; i < n; i++) {
        f[i] = (float) r.nextDouble(-1, 1);
      }
      return f;
    }

    double[] reference() {
      double[] out = new double[m * n];
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int q = 0; q < k; q++) {
            double av = ta ? a[3 + q * lda + i] : a[3 + i * lda + q];
            double bv = tb ? b[5 + j * ldb + q] : b[5 + q * ldb + j];
            s += av * bv;
          }
          out[i * n + j] = alpha * s + beta * c[2 + i * ldc + j];
        }
      }
      return out;
    }
  }
}
