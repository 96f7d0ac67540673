package dev.kiln.model.compute.cpu;

/**
 * Micro-kernels of {@link Sgemm}: one {@code mr × nr} tile of C from a k-run of an A panel and a B
 * panel. Element (r, kk) of the A panel is {@code a[ao + kk*aks + r]}, element (kk, j) of the B
 * panel is {@code b[bo + kk*bks + j]}. Each C element is a chain of fused multiply-adds over kk
 * starting from zero, then stored ({@code accumulate == false}) or added to C. The tile shape does
 * not change the arithmetic of an element, so every implementation gives bit-identical results.
 */
interface GemmKernels {

  /** A short name for logs and benchmarks. */
  String name();

  /** Rows of a tile. */
  int mr();

  /** Columns of the tile used for a matrix with {@code n} columns. */
  int nr(int n);

  /** Computes one tile; {@code nr} is a value {@link #nr(int)} returned. */
  void tile(
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
      boolean accumulate);

  /**
   * The Vector API kernels for the CPU's native vector width when {@code jdk.incubator.vector} is
   * in the boot layer (the JVM got {@code --add-modules jdk.incubator.vector}), else plain Java.
   * The system property {@code kiln.cpu.kernels=java} forces plain Java.
   */
  static GemmKernels best() {
    String forced = System.getProperty("kiln.cpu.kernels", "");
    if (forced.equals("java") || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return new JavaGemmKernels();
    }
    try {
      // Loaded reflectively: linking these classes without the module would fail.
      int bits =
          (Integer)
              Class.forName("dev.kiln.model.compute.cpu.VectorWidth")
                  .getMethod("preferredBits")
                  .invoke(null);
      if (bits < 256) {
        return new JavaGemmKernels();
      }
      String cls = bits >= 512 ? "VectorKernels512" : "VectorKernels256";
      return (GemmKernels)
          Class.forName("dev.kiln.model.compute.cpu." + cls).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      return new JavaGemmKernels();
    }
  }
}
