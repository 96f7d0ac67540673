package dev.kiln.scheduler.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nodes of a cluster indexed by zone and rack. Immutable; build it once and reuse it across
 * snapshots while the node set is unchanged.
 */
public final class Topology {
  private final Node[] nodes;
  private final Map<String, Integer> indexByName;
  final int[] rackOfNode;
  final int[] zoneOfRack;
  final int[][] nodesOfRack;
  final int[][] racksOfZone;
  final int[][] nodesOfZone;
  final int[] allNodes;
  final int[] allRacks;
  final int[] allZones;
  final String[] rackNames;
  final String[] zoneNames;
  private final Resources total;
  private final Resources largestNode;
  // How many ranks of a shape an empty cluster holds; pure function of the nodes, so cacheable.
  private final Map<Resources, Integer> emptyCapacity = new ConcurrentHashMap<>();

  private Topology(List<Node> sorted) {
    nodes = sorted.toArray(Node[]::new);
    indexByName = new HashMap<>();
    TreeMap<String, TreeMap<String, List<Integer>>> tree = new TreeMap<>();
    Resources sum = Resources.ZERO;
    long cpu = 0;
    long mem = 0;
    int gpu = 0;
    for (int i = 0; i < nodes.length; i++) {
      Node n = nodes[i];
      if (indexByName.put(n.name(), i) != null) {
        throw new IllegalArgumentException("duplicate node " + n.name());
      }
      tree.computeIfAbsent(n.zone(), z -> new TreeMap<>())
          .computeIfAbsent(n.rack(), r -> new ArrayList<>())
          .add(i);
      sum = sum.plus(n.allocatable());
      cpu = Math.max(cpu, n.allocatable().milliCpu());
      mem = Math.max(mem, n.allocatable().memoryBytes());
      gpu = Math.max(gpu, n.allocatable().gpus());
    }
    total = sum;
    largestNode = new Resources(cpu, mem, gpu);
    rackOfNode = new int[nodes.length];
    allNodes = new int[nodes.length];
    Arrays.setAll(allNodes, i -> i);
    List<int[]> rackNodes = new ArrayList<>();
    List<String> racks = new ArrayList<>();
    List<Integer> rackZone = new ArrayList<>();
    zoneNames = tree.keySet().toArray(String[]::new);
    racksOfZone = new int[zoneNames.length][];
    nodesOfZone = new int[zoneNames.length][];
    for (int z = 0; z < zoneNames.length; z++) {
      TreeMap<String, List<Integer>> zoneRacks = tree.get(zoneNames[z]);
      racksOfZone[z] = new int[zoneRacks.size()];
      List<Integer> zoneNodes = new ArrayList<>();
      int k = 0;
      for (Map.Entry<String, List<Integer>> rack : zoneRacks.entrySet()) {
        int r = racks.size();
        racks.add(zoneNames[z] + "/" + rack.getKey());
        rackZone.add(z);
        rackNodes.add(rack.getValue().stream().mapToInt(Integer::intValue).toArray());
        rack.getValue().forEach(n -> rackOfNode[n] = r);
        zoneNodes.addAll(rack.getValue());
        racksOfZone[z][k++] = r;
      }
      nodesOfZone[z] = zoneNodes.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
    rackNames = racks.toArray(String[]::new);
    nodesOfRack = rackNodes.toArray(int[][]::new);
    zoneOfRack = rackZone.stream().mapToInt(Integer::intValue).toArray();
    allRacks = new int[rackNames.length];
    Arrays.setAll(allRacks, i -> i);
    allZones = new int[zoneNames.length];
    Arrays.setAll(allZones, i -> i);
  }

  /** Indexes {@code nodes}; their order does not matter (nodes are kept sorted by name). */
  public static Topology of(List<Node> nodes) {
    List<Node> sorted = new ArrayList<>(nodes);
    sorted.sort(Comparator.comparing(Node::name));
    return new Topology(sorted);
  }

  /** The nodes, sorted by name. */
  public List<Node> nodes() {
    return List.of(nodes);
  }

  public Optional<Node> node(String name) {
    Integer i = indexByName.get(name);
    return i == null ? Optional.empty() : Optional.of(nodes[i]);
  }

  /** Everything the cluster can allocate: the denominator of fair share. */
  public Resources total() {
    return total;
  }

  /** The per-dimension maximum over nodes. */
  public Resources largestNode() {
    return largestNode;
  }

  /** How many ranks of {@code perRank} the largest empty node holds. */
  int largestNodeRanks(Resources perRank) {
    int best = 0;
    for (Node n : nodes) {
      Resources a = n.allocatable();
      int k = Integer.MAX_VALUE;
      if (perRank.gpus() > 0) {
        k = Math.min(k, a.gpus() / perRank.gpus());
      }
      if (perRank.milliCpu() > 0) {
        k = (int) Math.min(k, a.milliCpu() / perRank.milliCpu());
      }
      if (perRank.memoryBytes() > 0) {
        k = (int) Math.min(k, a.memoryBytes() / perRank.memoryBytes());
      }
      best = Math.max(best, k);
    }
    return best;
  }

  int size() {
    return nodes.length;
  }

  Node nodeAt(int i) {
    return nodes[i];
  }

  int indexOf(String name) {
    Integer i = indexByName.get(name);
    return i == null ? -1 : i;
  }

  int rackCount() {
    return rackNames.length;
  }

  int zoneCount() {
    return zoneNames.length;
  }

  Integer cachedEmptyCapacity(Resources perRank) {
    return emptyCapacity.get(perRank);
  }

  void cacheEmptyCapacity(Resources perRank, int ranks) {
    emptyCapacity.put(perRank, ranks);
  }
}
