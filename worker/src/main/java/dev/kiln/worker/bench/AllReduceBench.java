package dev.kiln.worker.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.worker.collective.Collective;
import dev.kiln.worker.collective.CollectiveConfig;
import dev.kiln.worker.collective.Collectives;
import dev.kiln.worker.collective.ReduceOp;
import dev.kiln.worker.nccl.Nccl;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code kiln bench allreduce --ranks N --size 64MB [--backend tcp|shm|nccl] [--iters K] [--warmup
 * W]}: spawns N child JVMs of itself on localhost with the rank contract, times all-reduce SUM of a
 * float32 array of the given size (MB = 2^20 bytes), and prints one JSON object on the last stdout
 * line. Warm-up and iteration counts default to more for small arrays (up to 300 and 200), since a
 * training job runs thousands of all-reduces on a warm JIT. Each timed iteration starts after a
 * barrier; the median is rank 0's, as gloo's peer script measures. busbw = size * 2(N-1)/N /
 * median, in 10^9 bytes/s.
 */
public final class AllReduceBench {
  private static final String RESULT = "KILN_BENCH_RESULT ";
  private static final ObjectMapper JSON = new ObjectMapper();

  private AllReduceBench() {}

  /** Parsed command line. */
  record Options(int ranks, long sizeBytes, String backend, int iters, int warmup, boolean child) {
    static Options parse(String[] args) {
      Map<String, String> m = new HashMap<>();
      boolean child = false;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.equals("--child")) {
          child = true;
        } else if (a.startsWith("--") && a.contains("=")) {
          m.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        } else if (a.startsWith("--") && i + 1 < args.length) {
          m.put(a.substring(2), args[++i]);
        } else {
          throw new IllegalArgumentException("unexpected argument '" + a + "'");
        }
      }
      for (String k : m.keySet()) {
        if (!List.of("ranks", "size", "backend", "iters", "warmup").contains(k)) {
          throw new IllegalArgumentException("unknown option --" + k);
        }
      }
      int ranks = Integer.parseInt(m.getOrDefault("ranks", "2"));
      long size = parseSize(m.getOrDefault("size", "64MB"));
      if (ranks < 1 || size < 4 || size % 4 != 0 || size / 4 > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(
            "need --ranks >= 1 and a --size that is a multiple of 4");
      }
      // Small arrays take many more iterations to warm up the JIT and to give a stable median.
      int iters = (int) Math.max(20, Math.min(200, (256L << 20) / size));
      int warmup = (int) Math.max(5, Math.min(300, (512L << 20) / size));
      return new Options(
          ranks,
          size,
          m.getOrDefault("backend", "tcp"),
          Integer.parseInt(m.getOrDefault("iters", String.valueOf(iters))),
          Integer.parseInt(m.getOrDefault("warmup", String.valueOf(warmup))),
          child);
    }
  }

  /** "64MB" = 64 * 2^20 bytes; also KB, GB, B or a plain byte count. */
  static long parseSize(String s) {
    String t = s.trim().toUpperCase(Locale.ROOT);
    long unit = 1;
    if (t.endsWith("GB")) {
      unit = 1L << 30;
    } else if (t.endsWith("MB")) {
      unit = 1L << 20;
    } else if (t.endsWith("KB")) {
      unit = 1L << 10;
    }
    String digits = t.replaceAll("[A-Z]+$", "");
    try {
      return Math.round(Double.parseDouble(digits) * unit);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--size: expected e.g. 64MB, got '" + s + "'");
    }
  }

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(
          "usage: AllReduceBench --ranks N --size 64MB [--backend tcp|shm|nccl]"
              + " [--iters K] [--warmup W]\n"
              + e.getMessage());
      System.exit(2);
      return;
    }
    if (o.child) {
      child(o);
    } else {
      System.exit(parent(o));
    }
  }

  private static int parent(Options o) throws Exception {
    String refused = refusal(o);
    if (refused != null) {
      System.err.println("kiln bench allreduce: " + refused);
      ObjectNode err = JSON.createObjectNode();
      err.put("benchmark", "allreduce");
      err.put("backend", o.backend);
      err.put("error", refused);
      System.out.println(JSON.writeValueAsString(err));
      return 1;
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String uid = "bench-" + UUID.randomUUID();
    List<Process> procs = new ArrayList<>();
    Thread killer = new Thread(() -> procs.forEach(Process::destroyForcibly));
    Runtime.getRuntime().addShutdownHook(killer);
    for (int r = 0; r < o.ranks; r++) {
      ProcessBuilder pb =
          new ProcessBuilder(
              java,
              "-Xms" + (o.sizeBytes / (1 << 20) * 2 + 64) + "m",
              "-cp",
              System.getProperty("java.class.path"),
              AllReduceBench.class.getName(),
              "--child",
              "--ranks",
              String.valueOf(o.ranks),
              "--size",
              String.valueOf(o.sizeBytes),
              "--backend",
              o.backend,
              "--iters",
              String.valueOf(o.iters),
              "--warmup",
              String.valueOf(o.warmup));
      Map<String, String> env = pb.environment();
      env.put("RANK", String.valueOf(r));
      env.put("LOCAL_RANK", String.valueOf(r));
      env.put("WORLD_SIZE", String.valueOf(o.ranks));
      env.put("MASTER_ADDR", "127.0.0.1");
      env.put("MASTER_PORT", String.valueOf(port));
      env.put("KILN_JOB_UID", uid);
      env.put("KILN_ATTEMPT", "0");
      if (o.backend.equals("nccl")) {
        env.put("KILN_CUDA_DEVICE", String.valueOf(r)); // one GPU per rank, checked above
      }
      pb.redirectError(ProcessBuilder.Redirect.INHERIT);
      if (r > 0) {
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD); // only rank 0 reports
      }
      procs.add(pb.start());
    }
    String result = null;
    for (Process p : procs) {
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          if (line.startsWith(RESULT)) {
            result = line.substring(RESULT.length());
          } else {
            System.err.println(line);
          }
        }
      }
    }
    int failed = 0;
    for (Process p : procs) {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      failed += p.exitValue() == 0 ? 0 : 1;
    }
    Runtime.getRuntime().removeShutdownHook(killer);
    if (failed > 0 || result == null) {
      ObjectNode err = JSON.createObjectNode();
      err.put("benchmark", "allreduce");
      err.put("error", failed + " of " + o.ranks + " ranks failed; see stderr");
      System.out.println(JSON.writeValueAsString(err));
      return 1;
    }
    System.out.println(result);
    return 0;
  }

  /** Why the backend cannot run this benchmark here, or null. */
  static String refusal(Options o) {
    try {
      Collectives.provider(o.backend);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    if (o.backend.equals("nccl")) {
      int gpus = Nccl.deviceCount();
      if (gpus < o.ranks) {
        return "nccl needs one GPU per rank: "
            + o.ranks
            + " ranks, "
            + gpus
            + " GPU(s) visible; NCCL refuses two ranks on one GPU, so multi-GPU NCCL bandwidth"
            + " is not measurable on this machine";
      }
    }
    return null;
  }

  private static void child(Options o) throws Exception {
    CollectiveConfig config = CollectiveConfig.fromEnv(System.getenv());
    int len = (int) (o.sizeBytes / Float.BYTES);
    float[] data = new float[len];
    double[] ms = new double[o.iters];
    try (Collective c = Collectives.open(o.backend, config)) {
      Arrays.fill(data, 1f);
      for (int i = 0; i < o.warmup; i++) {
        c.allReduce(data, ReduceOp.SUM);
      }
      for (int i = 0; i < o.iters; i++) {
        Arrays.fill(data, 1f); // keep values finite and the check below exact
        c.barrier();
        long t0 = System.nanoTime();
        c.allReduce(data, ReduceOp.SUM);
        ms[i] = (System.nanoTime() - t0) / 1e6;
      }
      if (data[0] != o.ranks || data[len - 1] != o.ranks) {
        throw new IllegalStateException("wrong all-reduce result " + data[0]);
      }
      c.barrier();
      if (c.rank() == 0) {
        System.out.println(RESULT + JSON.writeValueAsString(result(o, ms)));
      }
    }
  }

  static ObjectNode result(Options o, double[] ms) {
    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    int k = sorted.length;
    double median = k % 2 == 1 ? sorted[k / 2] : (sorted[k / 2 - 1] + sorted[k / 2]) / 2;
    double busBytes = o.ranks == 1 ? 0 : o.sizeBytes * 2.0 * (o.ranks - 1) / o.ranks;
    ObjectNode r = JSON.createObjectNode();
    r.put("benchmark", "allreduce");
    r.put("backend", o.backend);
    r.put("ranks", o.ranks);
    r.put("size_bytes", o.sizeBytes);
    r.put("iterations", k);
    r.put("median_ms", round(median));
    r.put("min_ms", round(sorted[0]));
    r.put("busbw_gbps", round(busBytes / (median / 1e3) / 1e9));
    r.put("algbw_gbps", round(o.sizeBytes / (median / 1e3) / 1e9));
    return r;
  }

  private static double round(double v) {
    return Math.round(v * 1e4) / 1e4;
  }
}
