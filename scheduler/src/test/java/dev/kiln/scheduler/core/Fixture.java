package dev.kiln.scheduler.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Builders for small clusters, queues and gangs; every node has 8 CPUs and 64Gi per GPU. */
final class Fixture {
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private final List<Node> nodes = new ArrayList<>();
  private final List<QueueSpec> queues = new ArrayList<>();
  private final List<RunningGang> running = new ArrayList<>();

  static Fixture cluster() {
    return new Fixture();
  }

  /** {@code count} nodes named {@code <rack>-<i>} in rack {@code rack} of zone {@code zone}. */
  Fixture rack(String zone, String rack, int count, int gpusPerNode) {
    for (int i = 1; i <= count; i++) {
      nodes.add(node(rack + "-" + i, gpusPerNode, zone, rack));
    }
    return this;
  }

  Fixture node(String name, int gpus) {
    nodes.add(node(name, gpus, "zone-a", "rack-1"));
    return this;
  }

  Fixture queue(String name, int gpuQuota, double weight) {
    queues.add(new QueueSpec(name, Resources.of(1_000_000, 1_000_000, gpuQuota), weight));
    return this;
  }

  /** A gang already bound, ranks on the given nodes, started at {@link #T0}. */
  Fixture running(Gang gang, String... rankNodes) {
    running.add(new RunningGang(gang, List.of(rankNodes), T0));
    return this;
  }

  ClusterSnapshot snapshot() {
    List<QueueSpec> qs = queues.isEmpty() ? List.of(queue("default", 10_000)) : queues;
    return ClusterSnapshot.of(nodes, qs, running);
  }

  SchedulingDecision decide(Gang... pending) {
    return scheduler().decide(snapshot(), List.of(pending));
  }

  static GangScheduler scheduler() {
    return new GangScheduler(Clock.fixed(T0, ZoneOffset.UTC));
  }

  static Node node(String name, int gpus, String zone, String rack) {
    return new Node(
        name, Resources.of(8 * Math.max(gpus, 1), 64L * Math.max(gpus, 1), gpus), zone, rack);
  }

  static QueueSpec queue(String name, int gpuQuota) {
    return new QueueSpec(name, Resources.of(1_000_000, 1_000_000, gpuQuota), 1);
  }

  /** A gang of {@code ranks} ranks with {@code gpus} GPUs, 4 CPUs and 32Gi per GPU each. */
  static Gang.Builder gang(String name, int ranks, int gpus) {
    return Gang.builder(name)
        .ranks(ranks)
        .perRank(Resources.of(4 * Math.max(gpus, 1), 32L * Math.max(gpus, 1), gpus))
        .submitted(T0);
  }

  static Duration hours(long h) {
    return Duration.ofHours(h);
  }
}
