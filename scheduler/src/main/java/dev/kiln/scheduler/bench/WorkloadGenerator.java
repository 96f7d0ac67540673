package dev.kiln.scheduler.bench;

import dev.kiln.scheduler.core.JobId;
import dev.kiln.scheduler.core.Node;
import dev.kiln.scheduler.core.QueueSpec;
import dev.kiln.scheduler.core.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded, reproducible stream: gangs of 1-64 GPUs (mostly small, some whole-rack), three
 * priorities, four queues whose quotas add up to more than the cluster, Poisson arrivals at about
 * 110% of capacity so a backlog forms, and runtimes below each job's deadline.
 */
public final class WorkloadGenerator {
  private static final int NODES_PER_RACK = 16;
  private static final int CPUS_PER_GPU = 10;
  private static final long GIB_PER_GPU = 80;
  private static final double LOAD = 1.1;

  private static final int[] SIZES = {1, 2, 4, 8, 16, 32, 64};
  private static final int[] SIZE_WEIGHTS = {30, 15, 15, 20, 10, 6, 4};
  private static final String[] QUEUES = {"prod", "research", "batch", "interactive"};
  private static final double[] QUEUE_WEIGHTS = {4, 2, 1, 1};
  private static final double[] QUEUE_QUOTAS = {0.6, 0.5, 0.4, 0.1};
  private static final int[] QUEUE_MIX = {30, 35, 25, 10};
  private static final int[] PRIORITIES = {0, 10, 100};
  private static final int[] PRIORITY_MIX = {75, 20, 5};
  private static final int[] DEADLINE_HOURS = {1, 2, 4, 8};
  private static final int[] DEADLINE_MIX = {30, 30, 25, 15};

  private WorkloadGenerator() {}

  public static Workload generate(int nodeCount, int gpusPerNode, int gangs, long seed) {
    if (nodeCount < 1 || gpusPerNode < 1 || gangs < 1) {
      throw new IllegalArgumentException("nodes, gpus per node and gangs must be positive");
    }
    Random random = new Random(seed);
    List<Node> nodes = nodes(nodeCount, gpusPerNode);
    int totalGpus = nodeCount * gpusPerNode;
    int maxGang = Math.min(64, totalGpus);
    List<QueueSpec> queues = queues(totalGpus, maxGang, gpusPerNode);
    List<Workload.Job> shapes = new ArrayList<>(gangs);
    double gpuSeconds = 0;
    for (int i = 0; i < gangs; i++) {
      Workload.Job j = job(i, random, nodeCount, gpusPerNode, maxGang);
      shapes.add(j);
      gpuSeconds += Math.max(j.perRank().gpus(), 0.1) * j.ranks() * j.runtimeMillis() / 1000.0;
    }
    // Arrival rate that keeps the cluster LOAD-times busy on average.
    double meanInterarrival = gpuSeconds / gangs / (LOAD * totalGpus);
    List<Workload.Job> jobs = new ArrayList<>(gangs);
    double t = 0;
    for (Workload.Job j : shapes) {
      t += -Math.log(1 - random.nextDouble()) * meanInterarrival;
      jobs.add(
          new Workload.Job(
              j.index(),
              j.id(),
              j.queue(),
              j.priority(),
              Math.round(t * 1000),
              j.ranks(),
              j.perRank(),
              j.runtimeMillis(),
              j.maxRuntime()));
    }
    return new Workload(nodes, queues, jobs);
  }

  /** Racks of 16 nodes in up to four zones. */
  static List<Node> nodes(int count, int gpusPerNode) {
    int zones = Math.max(1, Math.min(4, count / NODES_PER_RACK));
    int perZone = (count + zones - 1) / zones;
    Resources allocatable =
        Resources.of(
            (CPUS_PER_GPU + 2) * gpusPerNode, (GIB_PER_GPU + 16) * gpusPerNode, gpusPerNode);
    List<Node> nodes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int zone = i / perZone;
      int rack = (i % perZone) / NODES_PER_RACK;
      nodes.add(
          new Node(
              String.format("node-%05d", i),
              allocatable,
              "zone-" + (char) ('a' + zone),
              String.format("rack-%03d", rack)));
    }
    return nodes;
  }

  private static List<QueueSpec> queues(int totalGpus, int maxGang, int gpusPerNode) {
    List<QueueSpec> queues = new ArrayList<>();
    for (int q = 0; q < QUEUES.length; q++) {
      int gpus = Math.max(maxGang, (int) Math.round(QUEUE_QUOTAS[q] * totalGpus));
      Resources quota =
          Resources.of(
              (CPUS_PER_GPU + 2) * (double) gpus + 64, (GIB_PER_GPU + 16) * gpus + 256, gpus);
      queues.add(new QueueSpec(QUEUES[q], quota, QUEUE_WEIGHTS[q]));
    }
    return queues;
  }

  private static Workload.Job job(
      int i, Random random, int nodeCount, int gpusPerNode, int maxGang) {
    String queue = QUEUES[pick(random, QUEUE_MIX)];
    int priority = PRIORITIES[pick(random, PRIORITY_MIX)];
    int ranks;
    Resources perRank;
    if (random.nextInt(100) < 5) {
      ranks = 1 + random.nextInt(4);
      perRank = Resources.of(4, 16, 0);
    } else {
      int gpus = Math.min(SIZES[pick(random, SIZE_WEIGHTS)], maxGang);
      if (queue.equals("interactive")) {
        gpus = Math.min(gpus, Math.min(8, gpusPerNode));
      }
      int perRankGpus = rankGpus(gpus, gpusPerNode, random);
      if (gpus / perRankGpus > (long) nodeCount * (gpusPerNode / perRankGpus)) {
        perRankGpus = 1; // odd node sizes: keep every gang placeable on the empty cluster
      }
      ranks = gpus / perRankGpus;
      perRank = Resources.of(CPUS_PER_GPU * perRankGpus, GIB_PER_GPU * perRankGpus, perRankGpus);
    }
    int deadlineHours =
        queue.equals("interactive") ? 1 : DEADLINE_HOURS[pick(random, DEADLINE_MIX)];
    Duration maxRuntime = Duration.ofHours(deadlineHours);
    long runtime = Math.round(maxRuntime.toMillis() * (0.3 + 0.7 * random.nextDouble()));
    JobId id = new JobId(queue, String.format("job-%05d", i));
    return new Workload.Job(i, id, queue, priority, 0, ranks, perRank, runtime, maxRuntime);
  }

  /** One rank per GPU or one rank per node-sized slice, as data-parallel jobs are launched. */
  private static int rankGpus(int gpus, int gpusPerNode, Random random) {
    if (gpus <= gpusPerNode) {
      return random.nextInt(10) < 6 ? gpus : 1;
    }
    int slice = Integer.highestOneBit(gpusPerNode);
    while (gpus % slice != 0) {
      slice /= 2;
    }
    return random.nextInt(10) < 7 || slice == 1 ? slice : slice / 2;
  }

  private static int pick(Random random, int[] weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int r = random.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }
}
