package dev.kiln.worker;

import dev.kiln.model.compute.ComputeBackendProvider;
import dev.kiln.model.compute.ComputeBackends;
import dev.kiln.model.compute.cuda.CudaDevice;
import dev.kiln.worker.collective.Collectives;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Function;

/**
 * Which compute and collective backends a rank uses: what the environment forces ({@code
 * KILN_COMPUTE_BACKEND}, {@code KILN_COLLECTIVE_BACKEND}, {@code resources.gpu > 0} forces cuda),
 * else CUDA + NCCL when a GPU and the libraries are present, CPU + TCP ring otherwise. Forcing cuda
 * where it cannot run fails; nothing falls back silently.
 *
 * @param compute compute backend name
 * @param collective collective backend name
 * @param device the GPU this rank uses (cuda only)
 * @param why one line on how the choice was made, printed at start
 */
record BackendChoice(String compute, String collective, int device, String why) {

  /** A forced backend that cannot run here; not worth a restart on the same machine. */
  static final class UnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnavailableException(String message) {
      super(message);
    }
  }

  /** Decides with the real probes. */
  static BackendChoice decide(RankEnv env, JobSpec spec) {
    return decide(
        env,
        spec,
        name -> provider(name).unavailableReason(),
        () -> Collectives.provider("nccl").unavailableReason(),
        CudaDevice::count);
  }

  /** A probe of a library that may be missing. */
  interface Probe<T> {
    T get();
  }

  static BackendChoice decide(
      RankEnv env,
      JobSpec spec,
      Function<String, String> computeUnavailable,
      Probe<String> ncclUnavailable,
      Probe<Integer> gpuCount) {
    String compute = env.computeBackend();
    // Probed only when cuda may be used: a CPU rank never touches JCuda.
    String cudaWhy =
        compute == null || compute.equals("cuda") ? computeUnavailable.apply("cuda") : "";
    String why;
    if (compute == null && spec.gpus() > 0) {
      compute = "cuda";
      why = "resources.gpu=" + spec.gpus();
    } else if (compute == null) {
      compute = cudaWhy.isEmpty() ? "cuda" : "cpu";
      why = cudaWhy.isEmpty() ? "a GPU is present" : "no GPU: " + cudaWhy;
    } else {
      why = "KILN_COMPUTE_BACKEND=" + compute;
    }
    if (compute.equals("cuda") && !cudaWhy.isEmpty()) {
      throw new UnavailableException(
          why
              + " asks for the cuda backend, but it cannot run here: "
              + cudaWhy
              + ". Run on a node with an NVIDIA GPU, or set resources.gpu to 0 (and unset"
              + " KILN_COMPUTE_BACKEND) to train on the CPU");
    }
    String collective = env.collectiveBackend();
    int device = 0;
    if (compute.equals("cuda")) {
      int gpus = gpuCount.get();
      boolean sameHost = loopback(env.collective().masterAddr());
      // Ranks of one host take one GPU each when there are enough; else they share GPU 0.
      device = sameHost && gpus >= env.worldSize() ? env.rank() : 0;
      if (collective == null) {
        String ncclWhy = ncclUnavailable.get();
        if (!ncclWhy.isEmpty()) {
          collective = "tcp";
          why += "; tcp ring because NCCL is unavailable: " + ncclWhy;
        } else if (sameHost && env.worldSize() > gpus) {
          collective = "tcp";
          why += "; tcp ring because " + env.worldSize() + " ranks share " + gpus + " GPU(s)";
        } else {
          collective = "nccl";
          why += "; NCCL found";
        }
      }
    }
    if (collective == null) {
      collective = "tcp";
    }
    return new BackendChoice(compute, collective, device, why);
  }

  private static ComputeBackendProvider provider(String name) {
    return ComputeBackends.providers().stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no compute backend named " + name));
  }

  private static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The line printed at start. */
  String line() {
    return "backend compute="
        + compute
        + (compute.equals("cuda") ? " device=" + device : "")
        + " collective="
        + collective
        + " ("
        + why
        + ")";
  }
}
