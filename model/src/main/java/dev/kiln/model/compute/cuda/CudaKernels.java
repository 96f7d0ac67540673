package dev.kiln.model.compute.cuda;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;

/** The kernels of {@code kernels.ptx}, loaded into the current context, and how to launch them. */
final class CudaKernels implements AutoCloseable {
  static final String PTX_RESOURCE = "kernels.ptx";
  private static final int BLOCK = 256;

  private final CUmodule module = new CUmodule();
  private final Map<String, CUfunction> functions = new HashMap<>();

  CudaKernels() {
    byte[] ptx = ptx();
    cuModuleLoadData(module, Arrays.copyOf(ptx, ptx.length + 1)); // NUL-terminated image
  }

  /** The checked-in PTX, as the build put it on the classpath. */
  static byte[] ptx() {
    try (InputStream in = CudaKernels.class.getResourceAsStream(PTX_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the CUDA kernels (" + PTX_RESOURCE + ") are missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private CUfunction function(String name) {
    return functions.computeIfAbsent(
        name,
        n -> {
          CUfunction f = new CUfunction();
          cuModuleGetFunction(f, module, n);
          return f;
        });
  }

  /** Launches {@code name} with one thread per element of {@code n}, 256 to a block. */
  synchronized void launch1d(String name, long n, Object... args) {
    if (n <= 0) {
      return;
    }
    launch(name, (int) ((n + BLOCK - 1) / BLOCK), 1, BLOCK, args);
  }

  /** Launches {@code name} on a {@code gridX × gridY} grid of {@code block}-thread blocks. */
  synchronized void launch(String name, int gridX, int gridY, int block, Object... args) {
    Pointer[] params = new Pointer[args.length];
    for (int i = 0; i < args.length; i++) {
      params[i] = parameter(args[i]);
    }
    cuLaunchKernel(function(name), gridX, gridY, 1, block, 1, 1, 0, null, Pointer.to(params), null);
  }

  private static Pointer parameter(Object a) {
    if (a instanceof CudaBuffer b) {
      return Pointer.to(b.pointer());
    }
    if (a instanceof NativePointerObject p) {
      return Pointer.to(p);
    }
    if (a instanceof Integer i) {
      return Pointer.to(new int[] {i});
    }
    if (a instanceof Long l) {
      return Pointer.to(new long[] {l});
    }
    if (a instanceof Float f) {
      return Pointer.to(new float[] {f});
    }
    if (a instanceof Boolean b) {
      return Pointer.to(new int[] {b ? 1 : 0});
    }
    throw new IllegalArgumentException("unsupported kernel argument " + a);
  }

  @Override
  public void close() {
    cuModuleUnload(module);
  }
}
