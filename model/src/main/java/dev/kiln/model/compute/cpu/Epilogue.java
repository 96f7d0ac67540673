package dev.kiln.model.compute.cpu;

/**
 * Work {@link Sgemm} does on a finished tile of C while it is still in cache, e.g. adding a bias
 * and applying an activation. It sees each element exactly once, after its last update.
 */
interface Epilogue {

  /** Transforms rows {@code [i0, i0+rows)} × columns {@code [j0, j0+cols)} of C in place. */
  void apply(float[] c, int cOff, int ldc, int i0, int rows, int j0, int cols);
}
