package dev.kiln.model.compute.cpu;

import jdk.incubator.vector.FloatVector;

/** The CPU's native float vector width; its own class so nothing else links the Vector API. */
final class VectorWidth {
  private VectorWidth() {}

  /** Bits of the preferred float species (512 with AVX-512, 256 with AVX2). */
  public static int preferredBits() {
    return FloatVector.SPECIES_PREFERRED.vectorBitSize();
  }
}
