package dev.kiln.worker.nccl;

import java.util.List;
import java.util.Map;

/**
 * The public face of Kiln's NCCL binding: finds and loads NCCL, makes unique ids, and opens {@link
 * NcclCommunicator}s. All of it fails with an {@link NcclException} that names what was searched or
 * which call failed.
 */
public final class Nccl {
  private static String loadedFrom;

  private Nccl() {}

  /** What all-reduce and broadcast move. */
  public enum DataType {
    FLOAT32(7, 4),
    BFLOAT16(9, 2);

    final int code;
    final int bytes;

    DataType(int code, int bytes) {
      this.code = code;
      this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
      return bytes;
    }
  }

  /** The reductions NCCL applies across ranks. */
  public enum Op {
    SUM(0),
    AVG(4);

    final int code;

    Op(int code) {
      this.code = code;
    }
  }

  /**
   * Loads NCCL (and the CUDA driver it needs) once, searching as {@link
   * NativeLoader#ncclCandidates} says; returns the library's path.
   */
  public static synchronized String load(Map<String, String> env) {
    if (loadedFrom != null) {
      return loadedFrom;
    }
    NativeLoader.ensureLoaded();
    List<String> candidates = NativeLoader.ncclCandidates(env);
    try {
      String path = NcclNative.loadNccl(candidates.toArray(String[]::new));
      NcclNative.loadCuda();
      loadedFrom = path;
      return path;
    } catch (NcclException e) {
      if (candidates.stream().anyMatch(c -> c.endsWith(NativeLoader.PYTORCH_NCCL))) {
        throw e;
      }
      throw new NcclException(
          e.getMessage()
              + ". PyTorch's bundled "
              + NativeLoader.PYTORCH_NCCL
              + " is in none of the site-packages folders "
              + NativeLoader.searchedSitePackages(env));
    }
  }

  /** Loads NCCL with this process's environment. */
  public static String load() {
    return load(System.getenv());
  }

  /** Empty when NCCL and a GPU can be used here, else why not (never throws). */
  public static String unavailableReason(Map<String, String> env) {
    try {
      load(env);
      if (NcclNative.deviceCount() < 1) {
        return "the NVIDIA driver loaded but sees no GPU";
      }
      return "";
    } catch (NcclException e) {
      return e.getMessage();
    }
  }

  /** NCCL's version, e.g. 22703 for 2.27.3. */
  public static int version() {
    load();
    return NcclNative.version();
  }

  /** Visible GPUs. */
  public static int deviceCount() {
    load();
    return NcclNative.deviceCount();
  }

  /** A fresh unique id (128 bytes): rank 0 makes it and sends it to every rank at rendezvous. */
  public static byte[] uniqueId() {
    load();
    return NcclNative.uniqueId();
  }

  /**
   * Joins rank {@code rank} of {@code nranks} to the communicator named by {@code uniqueId}, on GPU
   * {@code device}; blocks until every rank has joined.
   */
  public static NcclCommunicator communicator(int nranks, byte[] uniqueId, int rank, int device) {
    load();
    if (nranks < 1 || rank < 0 || rank >= nranks) {
      throw new IllegalArgumentException("rank " + rank + " of " + nranks + " ranks");
    }
    if (uniqueId == null || uniqueId.length != 128) {
      throw new IllegalArgumentException("an NCCL unique id has 128 bytes");
    }
    int devices = NcclNative.deviceCount();
    if (device < 0 || device >= devices) {
      throw new IllegalArgumentException(
          "GPU " + device + " does not exist: " + devices + " visible");
    }
    return new NcclCommunicator(nranks, uniqueId, rank, device);
  }
}
