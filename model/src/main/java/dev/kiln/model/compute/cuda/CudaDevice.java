package dev.kiln.model.compute.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuInit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jcuda.CudaException;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.JCudaDriver;

/**
 * One GPU and its primary context (the one the CUDA runtime, and so NCCL, also uses), with what the
 * benchmark needs to know about it.
 */
public final class CudaDevice implements AutoCloseable {
  private final int index;
  private final CUdevice device;
  private final CUcontext context;
  private final String name;
  private final int multiprocessors;
  private final int major;
  private final int minor;
  private final int clockKhz;
  private boolean closed;

  private CudaDevice(int index) {
    this.index = index;
    this.device = new CUdevice();
    cuDeviceGet(device, index);
    this.context = new CUcontext();
    cuDevicePrimaryCtxRetain(context, device);
    cuCtxSetCurrent(context);
    byte[] raw = new byte[256];
    cuDeviceGetName(raw, raw.length, device);
    int end = 0;
    while (end < raw.length && raw[end] != 0) {
      end++;
    }
    this.name = new String(raw, 0, end, StandardCharsets.US_ASCII);
    this.multiprocessors = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
    this.major = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
    this.minor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
    this.clockKhz = clockKhz();
  }

  /**
   * Empty when a GPU can be used here, else why not: the driver library does not load, {@code
   * cuInit} fails, or no device is visible.
   */
  static String probe() {
    try {
      JCudaDriver.setExceptionsEnabled(true);
      cuInit(0);
      int[] count = {0};
      cuDeviceGetCount(count);
      if (count[0] < 1) {
        return "the NVIDIA driver loaded but sees no GPU (check CUDA_VISIBLE_DEVICES and the"
            + " container's GPU resources)";
      }
      return "";
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      if (driverLibrary().isEmpty()) {
        return "no NVIDIA driver here: libcuda.so.1 is in none of "
            + String.join(":", DRIVER_DIRS)
            + " nor LD_LIBRARY_PATH, and the loader did not find it; the cuda backend needs an"
            + " NVIDIA GPU and its driver (use the cpu backend on this machine)";
      }
      return "JCuda could not load the NVIDIA driver library libcuda.so.1 ("
          + firstLine(e.getMessage())
          + "): the cuda backend needs an NVIDIA GPU with its driver";
    } catch (CudaException e) {
      return "the NVIDIA driver failed to initialise: " + e.getMessage();
    }
  }

  /** Where the NVIDIA driver library usually lives, besides LD_LIBRARY_PATH. */
  static final List<String> DRIVER_DIRS =
      List.of(
          "/usr/lib/x86_64-linux-gnu",
          "/usr/lib64",
          "/usr/lib",
          "/usr/local/nvidia/lib64",
          "/usr/local/cuda/compat",
          "/usr/lib/wsl/lib");

  /** The first {@code libcuda.so.1} on LD_LIBRARY_PATH or in {@link #DRIVER_DIRS}. */
  static Optional<Path> driverLibrary() {
    List<String> dirs = new ArrayList<>();
    String ld = System.getenv("LD_LIBRARY_PATH");
    if (ld != null) {
      dirs.addAll(List.of(ld.split(":")));
    }
    dirs.addAll(DRIVER_DIRS);
    return dirs.stream()
        .filter(d -> !d.isBlank())
        .map(d -> Path.of(d, "libcuda.so.1"))
        .filter(Files::exists)
        .findFirst();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "no message";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Opens device {@code index}; fails with the number of visible devices when out of range. */
  public static CudaDevice open(int index) {
    JCudaDriver.setExceptionsEnabled(true);
    cuInit(0);
    int[] count = {0};
    cuDeviceGetCount(count);
    if (index < 0 || index >= count[0]) {
      throw new IllegalArgumentException(
          "CUDA device " + index + " does not exist: " + count[0] + " visible");
    }
    return new CudaDevice(index);
  }

  /** Visible GPUs; 0 when the driver does not load or sees none. */
  public static int count() {
    if (!CudaDevice.probe().isEmpty()) {
      return 0;
    }
    int[] count = {0};
    cuDeviceGetCount(count);
    return count[0];
  }

  /** The SM clock; 0 where the driver no longer reports it (it is deprecated since CUDA 12.x). */
  private int clockKhz() {
    try {
      return attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_CLOCK_RATE);
    } catch (CudaException e) {
      return 0;
    }
  }

  private int attribute(int attribute) {
    int[] v = {0};
    cuDeviceGetAttribute(v, attribute, device);
    return v[0];
  }

  /** Makes this device's context current on the calling thread. */
  void makeCurrent() {
    if (closed) {
      throw new IllegalStateException("CUDA device " + index + " is closed");
    }
    cuCtxSetCurrent(context);
  }

  public int index() {
    return index;
  }

  public String name() {
    return name;
  }

  /** The FP32 (non-tensor-core) peak in FLOP/s: SMs × FP32 lanes per SM × 2 × clock; 0 unknown. */
  public double fp32PeakFlops() {
    int lanes = major >= 8 && !(major == 8 && minor == 0) ? 128 : 64;
    return (double) multiprocessors * lanes * 2 * clockKhz * 1e3;
  }

  @Override
  public String toString() {
    return "cuda:"
        + index
        + " "
        + name
        + " (sm_"
        + major
        + minor
        + ", "
        + multiprocessors
        + " SMs)";
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      cuDevicePrimaryCtxRelease(device);
    }
  }
}
