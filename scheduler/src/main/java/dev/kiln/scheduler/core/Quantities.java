package dev.kiln.scheduler.core;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Formats resource amounts the way {@code kubectl} users read them. */
final class Quantities {
  private static final String[] SUFFIXES = {"Ei", "Pi", "Ti", "Gi", "Mi", "Ki"};

  private Quantities() {}

  static String gpus(long n) {
    return n + (n == 1 ? " GPU" : " GPUs");
  }

  static String cpus(long milli) {
    return cores(milli) + (milli == 1000 ? " CPU" : " CPUs");
  }

  /** Millicores as a plain number of cores: {@code 2500 -> 2.5}. */
  static String cores(long milli) {
    return BigDecimal.valueOf(milli, 3).stripTrailingZeros().toPlainString();
  }

  static String memory(long bytes) {
    for (int i = 0; i < SUFFIXES.length; i++) {
      long unit = 1L << (10 * (SUFFIXES.length - i));
      if (bytes != 0 && bytes % unit == 0) {
        return bytes / unit + SUFFIXES[i];
      }
    }
    return Long.toString(bytes);
  }

  /** e.g. {@code 4 GPUs, 32 CPUs, 256Gi memory}; zero dimensions are left out. */
  static String describe(Resources r) {
    List<String> parts = new ArrayList<>(3);
    if (r.gpus() > 0) {
      parts.add(gpus(r.gpus()));
    }
    if (r.milliCpu() > 0) {
      parts.add(cpus(r.milliCpu()));
    }
    if (r.memoryBytes() > 0) {
      parts.add(memory(r.memoryBytes()) + " memory");
    }
    return parts.isEmpty() ? "no resources" : String.join(", ", parts);
  }
}
