package dev.kiln.model.compute.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.model.Activation;
import dev.kiln.model.compute.ComputeBackend;
import dev.kiln.model.compute.ComputeBackends;
import dev.kiln.model.compute.DeviceBuffer;
import dev.kiln.model.compute.cpu.CpuBackend;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Where there is no GPU: asking for {@code cuda} fails and says why. Where there is one: single
 * kernels against the CPU backend (the rest is {@code CudaParityTest}).
 */
class CudaBackendTest {
  private static final String UNAVAILABLE = new CudaBackendProvider().unavailableReason();

  private static void needGpu() {
    if (!UNAVAILABLE.isEmpty()) {
      System.out.println("CudaBackendTest GPU case skipped: " + UNAVAILABLE);
    }
    Assumptions.assumeTrue(UNAVAILABLE.isEmpty(), () -> "no GPU here: " + UNAVAILABLE);
  }

  @Test
  void askingForCudaWithoutAGpuFailsWithTheReasonInsteadOfFallingBack() {
    Assumptions.assumeFalse(UNAVAILABLE.isEmpty(), "a GPU is present");
    assertThat(ComputeBackends.providers()).anyMatch(p -> p.name().equals("cuda"));
    assertThatThrownBy(() -> ComputeBackends.create("cuda", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("compute backend 'cuda' is not available")
        .hasMessageContaining(UNAVAILABLE);
    assertThat(UNAVAILABLE).containsAnyOf("libcuda.so.1", "no GPU", "driver");
  }

  @Test
  void gemmMatchesTheCpuForEveryTransposition() {
    needGpu();
    int m = 70;
    int n = 45;
    int k = 130;
    float[] a = random(m * k, 1);
    float[] b = random(k * n, 2);
    float[] c0 = random(m * n, 3);
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        int lda = ta ? m : k;
        int ldb = tb ? k : n;
        float[] expected = gemm(new CpuBackend(1), ta, tb, m, n, k, a, lda, b, ldb, c0);
        float[] actual =
            gemm(ComputeBackends.create("cuda", 1), ta, tb, m, n, k, a, lda, b, ldb, c0);
        for (int i = 0; i < expected.length; i++) {
          assertThat(actual[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-3f));
        }
      }
    }
  }

  @Test
  void dropoutMasksAreBitIdenticalToTheCpus() {
    needGpu();
    int rows = 33;
    int cols = 70;
    long[] ids = new long[rows];
    for (int r = 0; r < rows; r++) {
      ids[r] = 1000 + 7L * r;
    }
    float[] x = random(rows * cols, 4);
    float[] cpu = dropout(new CpuBackend(1), x, rows, cols, ids);
    float[] cuda = dropout(ComputeBackends.create("cuda", 1), x, rows, cols, ids);
    assertThat(cuda).containsExactly(cpu);
  }

  @Test
  void buffersCopyBothWaysThroughSlices() {
    needGpu();
    try (ComputeBackend cuda = ComputeBackends.create("cuda", 1)) {
      DeviceBuffer b = cuda.allocate(6);
      cuda.copyFromHost(new float[] {9, 1, 2, 3}, 1, b.slice(2, 3), 3);
      float[] out = new float[6];
      cuda.copyToHost(b, out, 0, 6);
      assertThat(out).containsExactly(0, 0, 1, 2, 3, 0);
      cuda.activationForward(Activation.RELU, b, b, 2, 3);
      b.close();
      assertThatThrownBy(() -> cuda.copyToHost(b, out, 0, 6)).hasMessageContaining("after close");
    }
  }

  private static float[] gemm(
      ComputeBackend be,
      boolean ta,
      boolean tb,
      int m,
      int n,
      int k,
      float[] a,
      int lda,
      float[] b,
      int ldb,
      float[] c0) {
    try (be) {
      DeviceBuffer da = upload(be, a);
      DeviceBuffer db = upload(be, b);
      DeviceBuffer dc = upload(be, c0);
      be.gemm(ta, tb, m, n, k, 0.5f, da, lda, db, ldb, 2f, dc, n);
      float[] c = new float[c0.length];
      be.copyToHost(dc, c, 0, c.length);
      return c;
    }
  }

  private static float[] dropout(ComputeBackend be, float[] x, int rows, int cols, long[] ids) {
    try (be) {
      DeviceBuffer in = upload(be, x);
      DeviceBuffer mask = be.allocate(x.length);
      DeviceBuffer out = be.allocate(x.length);
      be.dropoutForward(in, mask, out, rows, cols, 0.3f, 0x1234_5678_9ABCL, ids);
      float[] r = new float[x.length];
      be.copyToHost(out, r, 0, r.length);
      return r;
    }
  }

  private static DeviceBuffer upload(ComputeBackend be, float[] a) {
    DeviceBuffer d = be.allocate(a.length);
    be.copyFromHost(a, 0, d, a.length);
    return d;
  }

  private static float[] random(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextDouble(-1, 1);
    }
    return a;
  }
}
