package dev.kiln.model.compute.cpu;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Blocked, packed, multi-threaded single-precision matrix multiply (BLIS-style loops around a
 * register-blocked micro-kernel).
 *
 * <p>Determinism: C is cut into a fixed grid of {@code mr × nr} tiles and threads only ever split
 * that grid, never the reduction dimension. K is cut into blocks that depend on K alone; each C
 * element is the sum, in block order, of per-block fused multiply-add chains. So the result does
 * not depend on the thread count, on which thread computes a tile, or on the kernel in use.
 */
final class Sgemm {
  /** Largest k-block: a 256×32 B panel (32 KiB) stays in L1 while A panels stream past it. */
  static final int KC = 256;

  /** Below this many multiply-adds a call runs on the calling thread alone. */
  private static final long PARALLEL_MIN_FLOPS = 1L << 18;

  private static final int MAX_SPARE_SCRATCH = 4;

  private final GemmKernels kernels;
  private final WorkerPool pool;
  private final ConcurrentLinkedQueue<Scratch> scratch = new ConcurrentLinkedQueue<>();
  private final ThreadLocal<float[]> edgeTile;

  Sgemm(GemmKernels kernels, WorkerPool pool) {
    this.kernels = kernels;
    this.pool = pool;
    int tile = kernels.mr() * kernels.nr(Integer.MAX_VALUE);
    this.edgeTile = ThreadLocal.withInitial(() -> new float[tile]);
  }

  GemmKernels kernels() {
    return kernels;
  }

  /** Reusable pack buffers; one per concurrent call. */
  private static final class Scratch {
    float[] a = new float[0];
    float[] b = new float[0];
  }

  /**
   * {@code C = alpha·op(A)·op(B) + beta·C}, then {@code epilogue} on every tile (may be null);
   * arrays with offsets and leading dimensions as in BLAS, row-major.
   */
  void multiply(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float alpha,
      float[] a,
      int aOff,
      int lda,
      float[] b,
      int bOff,
      int ldb,
      float beta,
      float[] c,
      int cOff,
      int ldc,
      Epilogue epilogue) {
    if (m <= 0 || n <= 0) {
      return;
    }
    Scratch s = scratch.poll();
    if (s == null) {
      s = new Scratch();
    }
    try {
      Call call =
          new Call(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff);
      call.ldc = ldc;
      call.epilogue = epilogue;
      call.prepare(s);
      boolean parallel = (long) m * n * Math.max(k, 1) >= PARALLEL_MIN_FLOPS;
      if (call.packTasks() > 0) {
        pool.run(parallel ? call.packTasks() : 1, parallel ? call::pack : t -> call.packAll());
      }
      int parts = parallel ? call.computeParts(pool.threads()) : 1;
      call.parts = parts;
      pool.run(parts, call::compute);
    } finally {
      // Keep a few for reuse; more would only pin memory after a burst of concurrent calls.
      if (scratch.size() < MAX_SPARE_SCRATCH) {
        scratch.offer(s);
      }
    }
  }

  /** One multiply: its shape, where each panel comes from, and the work split. */
  private final class Call {
    final boolean transA;
    final boolean transB;
    final int m;
    final int n;
    final int k;
    final float alpha;
    final float[] a;
    final int aOff;
    final int lda;
    final float[] b;
    final int bOff;
    final int ldb;
    final float beta;
    final float[] c;
    final int cOff;
    int ldc;
    Epilogue epilogue;
    final int mr;
    final int nr;
    final int mPanels;
    final int nPanels;
    final int kBlock;
    float[] pa;
    float[] pb;
    int[] packList;
    int aPacks;
    int parts;
    boolean splitN;

    Call(
        boolean transA,
        boolean transB,
        int m,
        int n,
        int k,
        float alpha,
        float[] a,
        int aOff,
        int lda,
        float[] b,
        int bOff,
        int ldb,
        float beta,
        float[] c,
        int cOff) {
      this.transA = transA;
      this.transB = transB;
      this.m = m;
      this.n = n;
      this.k = k;
      this.alpha = alpha;
      this.a = a;
      this.aOff = aOff;
      this.lda = lda;
      this.b = b;
      this.bOff = bOff;
      this.ldb = ldb;
      this.beta = beta;
      this.c = c;
      this.cOff = cOff;
      this.mr = kernels.mr();
      this.nr = kernels.nr(n);
      this.mPanels = (m + mr - 1) / mr;
      this.nPanels = (n + nr - 1) / nr;
      int blocks = Math.max(1, (k + KC - 1) / KC);
      // Equal blocks (784 -> 4 x 196), not 3 x 256 + 16: a short last block wastes a C pass.
      this.kBlock = Math.max(1, (k + blocks - 1) / blocks);
    }

    /**
     * A panel is read in place when it is already laid out k-major with rows (or columns)
     * contiguous; measured faster than packing row-major B, and it saves a copy of the weights.
     */
    boolean aDirect(int ip) {
      return transA && alpha == 1f && (ip + 1) * mr <= m;
    }

    boolean bDirect(int jp) {
      return !transB && (jp + 1) * nr <= n;
    }

    void prepare(Scratch s) {
      int[] list = new int[mPanels + nPanels];
      int count = 0;
      for (int ip = 0; ip < mPanels; ip++) {
        if (!aDirect(ip)) {
          list[count++] = ip;
        }
      }
      aPacks = count;
      for (int jp = 0; jp < nPanels; jp++) {
        if (!bDirect(jp)) {
          list[count++] = jp;
        }
      }
      packList = java.util.Arrays.copyOf(list, count);
      if (aPacks > 0 && s.a.length < mPanels * mr * k) {
        s.a = new float[mPanels * mr * k];
      }
      if (count > aPacks && s.b.length < nPanels * nr * k) {
        s.b = new float[nPanels * nr * k];
      }
      pa = s.a;
      pb = s.b;
    }

    int packTasks() {
      return packList.length;
    }

    void packAll() {
      for (int t = 0; t < packList.length; t++) {
        pack(t);
      }
    }

    void pack(int task) {
      if (task < aPacks) {
        packA(packList[task]);
      } else {
        packB(packList[task]);
      }
    }

    private void packA(int ip) {
      int i0 = ip * mr;
      int rows = Math.min(mr, m - i0);
      int base = ip * mr * k;
      if (transA) {
        for (int kk = 0; kk < k; kk++) {
          int src = aOff + kk * lda + i0;
          int dst = base + kk * mr;
          for (int r = 0; r < rows; r++) {
            pa[dst + r] = alpha == 1f ? a[src + r] : alpha * a[src + r];
          }
          for (int r = rows; r < mr; r++) {
            pa[dst + r] = 0f;
          }
        }
        return;
      }
      for (int r = 0; r < mr; r++) {
        int src = aOff + (i0 + r) * lda;
        for (int kk = 0; kk < k; kk++) {
          pa[base + kk * mr + r] = r >= rows ? 0f : alpha == 1f ? a[src + kk] : alpha * a[src + kk];
        }
      }
    }

    private void packB(int jp) {
      int j0 = jp * nr;
      int cols = Math.min(nr, n - j0);
      int base = jp * nr * k;
      if (!transB) {
        for (int kk = 0; kk < k; kk++) {
          int dst = base + kk * nr;
          System.arraycopy(b, bOff + kk * ldb + j0, pb, dst, cols);
          java.util.Arrays.fill(pb, dst + cols, dst + nr, 0f);
        }
        return;
      }
      for (int j = 0; j < nr; j++) {
        int src = bOff + (j0 + j) * ldb;
        for (int kk = 0; kk < k; kk++) {
          pb[base + kk * nr + j] = j >= cols ? 0f : b[src + kk];
        }
      }
    }

    /** Splits the tile grid along its longer side into a few chunks per thread. */
    int computeParts(int threads) {
      splitN = nPanels >= mPanels;
      int along = splitN ? nPanels : mPanels;
      return Math.max(1, Math.min(along, threads == 1 ? 1 : 2 * threads));
    }

    void compute(int part) {
      int along = splitN ? nPanels : mPanels;
      int from = (int) ((long) along * part / parts);
      int to = (int) ((long) along * (part + 1) / parts);
      int ip0 = splitN ? 0 : from;
      int ip1 = splitN ? mPanels : to;
      int jp0 = splitN ? from : 0;
      int jp1 = splitN ? to : nPanels;
      if (k == 0 || (beta != 0f && beta != 1f)) {
        scaleRegion(ip0, ip1, jp0, jp1);
      }
      for (int k0 = 0; k0 < k; k0 += kBlock) {
        int kc = Math.min(kBlock, k - k0);
        boolean accumulate = k0 > 0 || beta != 0f;
        boolean last = k0 + kc >= k;
        for (int jp = jp0; jp < jp1; jp++) {
          for (int ip = ip0; ip < ip1; ip++) {
            tile(ip, jp, k0, kc, accumulate, last);
          }
        }
      }
      if (k == 0 && epilogue != null) {
        for (int jp = jp0; jp < jp1; jp++) {
          for (int ip = ip0; ip < ip1; ip++) {
            int i0 = ip * mr;
            int j0 = jp * nr;
            epilogue.apply(c, cOff, ldc, i0, Math.min(mr, m - i0), j0, Math.min(nr, n - j0));
          }
        }
      }
    }

    private void tile(int ip, int jp, int k0, int kc, boolean accumulate, boolean last) {
      int i0 = ip * mr;
      int j0 = jp * nr;
      int rows = Math.min(mr, m - i0);
      int cols = Math.min(nr, n - j0);
      float[] as;
      int ao;
      int aks;
      if (aDirect(ip)) {
        as = a;
        ao = aOff + k0 * lda + i0;
        aks = lda;
      } else {
        as = pa;
        ao = ip * mr * k + k0 * mr;
        aks = mr;
      }
      float[] bs;
      int bo;
      int bks;
      if (bDirect(jp)) {
        bs = b;
        bo = bOff + k0 * ldb + j0;
        bks = ldb;
      } else {
        bs = pb;
        bo = jp * nr * k + k0 * nr;
        bks = nr;
      }
      int co = cOff + i0 * ldc + j0;
      if (rows == mr && cols == nr) {
        kernels.tile(nr, kc, as, ao, aks, bs, bo, bks, c, co, ldc, accumulate);
      } else {
        float[] t = edgeTile.get();
        kernels.tile(nr, kc, as, ao, aks, bs, bo, bks, t, 0, nr, false);
        for (int r = 0; r < rows; r++) {
          int row = co + r * ldc;
          for (int j = 0; j < cols; j++) {
            c[row + j] = accumulate ? c[row + j] + t[r * nr + j] : t[r * nr + j];
          }
        }
      }
      if (last && epilogue != null) {
        epilogue.apply(c, cOff, ldc, i0, rows, j0, cols);
      }
    }

    /** {@code C *= beta} on a region of tiles (for beta other than 0 and 1, or k == 0). */
    private void scaleRegion(int ip0, int ip1, int jp0, int jp1) {
      int rowEnd = Math.min(m, ip1 * mr);
      int colEnd = Math.min(n, jp1 * nr);
      for (int i = ip0 * mr; i < rowEnd; i++) {
        int row = cOff + i * ldc;
        for (int j = jp0 * nr; j < colEnd; j++) {
          c[row + j] = beta == 0f ? 0f : beta * c[row + j];
        }
      }
    }
  }
}
