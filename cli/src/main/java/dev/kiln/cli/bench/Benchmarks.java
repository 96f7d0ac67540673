package dev.kiln.cli.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The benchmarks {@code kiln bench} knows, by name, in the order DESIGN.md lists them. */
public final class Benchmarks {
  private static final List<String> VECTOR = List.of("--add-modules", "jdk.incubator.vector");
  private static final List<String> WORKER_CP =
      List.of("worker/target/classes", "worker/target/lib/*");

  private final Map<String, Benchmark> byName = new LinkedHashMap<>();

  /** A table of exactly {@code benchmarks}. */
  public Benchmarks(List<Benchmark> benchmarks) {
    for (Benchmark benchmark : benchmarks) {
      if (byName.putIfAbsent(benchmark.name(), benchmark) != null) {
        throw new IllegalArgumentException("two benchmarks named " + benchmark.name());
      }
    }
  }

  /** The benchmarks of DESIGN.md, each run from its owning module's build output. */
  public static Benchmarks standard() {
    return new Benchmarks(
        List.of(
            new Benchmark(
                "train",
                "worker",
                "dev.kiln.worker.bench.TrainBench",
                WORKER_CP,
                VECTOR,
                "a TrainingJob step, MLP 784-512-256-10 (samples_per_sec)"),
            new Benchmark(
                "allreduce",
                "worker",
                "dev.kiln.worker.bench.AllReduceBench",
                WORKER_CP,
                VECTOR,
                "all-reduce across rank processes (busbw_gbps, median_ms)"),
            new Benchmark(
                "tuner",
                "tuner",
                "dev.kiln.tuner.bench.TunerBench",
                List.of("tuner/target/classes", "tuner/target/lib/*"),
                List.of(),
                "search strategies on test functions (median_regret)"),
            new Benchmark(
                "serve",
                "endpoint-server",
                "dev.kiln.endpoint.bench.ServeBench",
                List.of("endpoint-server/target/classes", "endpoint-server/target/lib/*"),
                List.of(),
                "HTTP inference under load (throughput_rps, p50_us, p99_us)"),
            new Benchmark(
                "scheduler",
                "scheduler",
                "dev.kiln.scheduler.bench.SchedulerBench",
                List.of("scheduler/target/classes", "scheduler/target/lib/*"),
                List.of(),
                "gang placement, quota, backfill, preemption (pods_per_sec)"),
            new Benchmark(
                "controlplane",
                "control-plane",
                "dev.kiln.controlplane.bench.ControlPlaneBench",
                List.of(
                    "control-plane/target/classes",
                    "control-plane/target/test-classes",
                    "control-plane/target/bench-lib/*"),
                List.of(),
                "TrainingJob -> all rank pods, mock server (pods_created_ms)")));
  }

  /** The benchmark called {@code name}. */
  public Optional<Benchmark> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Every benchmark, in table order. */
  public List<Benchmark> all() {
    return List.copyOf(byName.values());
  }

  /** Every name, in table order. */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }
}
