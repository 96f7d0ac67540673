package dev.kiln.scheduler.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code kiln bench scheduler}: the same seeded stream of gangs through the gang scheduler core and
 * through a naive per-pod first-fit placer; an independent checker audits both bind logs. Prints
 * one JSON object on the last line of stdout.
 *
 * <p>Usage: {@code SchedulerBench [--nodes N] [--gpus-per-node G] [--gangs J] [--seed S]}
 */
public final class SchedulerBench {

  private SchedulerBench() {}

  public static void main(String[] args) {
    Map<String, Long> opts = new LinkedHashMap<>();
    opts.put("--nodes", 1000L);
    opts.put("--gpus-per-node", 8L);
    opts.put("--gangs", 10_000L);
    opts.put("--seed", 42L);
    try {
      for (int i = 0; i < args.length; i++) {
        if (!opts.containsKey(args[i]) || i + 1 == args.length) {
          throw new IllegalArgumentException("unknown option or missing value: " + args[i]);
        }
        opts.put(args[i], Long.parseLong(args[++i]));
      }
      if (opts.get("--nodes") < 1 || opts.get("--gpus-per-node") < 1 || opts.get("--gangs") < 1) {
        throw new IllegalArgumentException("--nodes, --gpus-per-node and --gangs must be positive");
      }
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(
          "usage: SchedulerBench [--nodes N] [--gpus-per-node G] [--gangs J] [--seed S]");
      System.exit(2);
    }
    System.out.println(
        Json.write(
            run(
                opts.get("--nodes").intValue(),
                opts.get("--gpus-per-node").intValue(),
                opts.get("--gangs").intValue(),
                opts.get("--seed"))));
  }

  /** Runs both schedulers over one stream; the map is the benchmark's JSON object. */
  static Map<String, Object> run(int nodes, int gpusPerNode, int gangs, long seed) {
    Workload w = WorkloadGenerator.generate(nodes, gpusPerNode, gangs, seed);
    CoreSimulation core = new CoreSimulation(w);
    Simulation.Result ours = core.run();
    BindLogChecker.Report oursCheck = audit(w, ours);
    Simulation.Result naive = new NaiveSimulation(w).run();
    BindLogChecker.Report naiveCheck = audit(w, naive);

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("nodes", nodes);
    out.put("gpus_per_node", gpusPerNode);
    out.put("gangs", gangs);
    out.put("seed", seed);
    out.put("pods_per_sec", oursCheck.podsBound() / ours.wallSeconds());
    out.putAll(common(ours, oursCheck));
    out.put("preemptions", ours.evictions());
    out.put("backfilled", core.backfilled());
    Map<String, Object> n = new LinkedHashMap<>();
    n.put("pods_per_sec", naiveCheck.podsBound() / naive.wallSeconds());
    n.putAll(common(naive, naiveCheck));
    out.put("naive", n);
    return out;
  }

  private static Map<String, Object> common(Simulation.Result r, BindLogChecker.Report c) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("partial_gangs", c.partialGangs());
    out.put("deadlocks", c.deadlocks());
    out.put("gpu_utilization", c.gpuUtilization());
    out.put("useful_gpu_utilization", c.usefulGpuUtilization());
    out.put("pods_bound", c.podsBound());
    out.put("wall_seconds", r.wallSeconds());
    // CPU time of the simulating thread: on a shared machine, wall time also counts waiting.
    out.put("cpu_seconds", r.cpuSeconds());
    out.put("cycles", r.cycles());
    out.put("completed_gangs", r.completed());
    out.put("mean_wait_minutes", r.meanWaitMinutes());
    out.put("invalid_events", c.invalidEvents());
    out.put("overcommitted_nodes", c.overcommittedNodes());
    return out;
  }

  private static BindLogChecker.Report audit(Workload w, Simulation.Result r) {
    return BindLogChecker.check(r.log(), w.gangInfo(), w.nodeGpus());
  }
}
