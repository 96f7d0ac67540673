package dev.kiln.controlplane.bench;

import dev.kiln.api.Kiln;
import dev.kiln.api.TrainingJob;
import dev.kiln.controlplane.core.CorePolicy;
import dev.kiln.controlplane.kubernetes.ClusterSettings;
import dev.kiln.controlplane.testing.Jobs;
import dev.kiln.controlplane.testing.KilnCrds;
import dev.kiln.controlplane.testing.StandaloneOperator;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code kiln bench controlplane --ranks 64}: a TrainingJob created → all its rank pods created,
 * through the real JOSDK operator and the control plane's reconciler (core + Kubernetes shell),
 * against the fabric8 test API server in CRUD mode. Prints one JSON object on its last line.
 */
public final class ControlPlaneBench {
  private ControlPlaneBench() {}

  public static void main(String[] args) throws Exception {
    int ranks = intArg(args, "--ranks", 64);
    int runs = intArg(args, "--runs", 5);
    quietLogs();
    KubernetesServer server =
        new KubernetesServer(false, true, InetAddress.getLoopbackAddress(), 0, List.of());
    server.before();
    Operator operator = null;
    try {
      KubernetesClient client = server.getClient();
      KilnCrds.install(client);
      operator = StandaloneOperator.start(client, ClusterSettings.defaults(), CorePolicy.DEFAULT);
      timeOne(client, "warmup", ranks);
      List<Double> times = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        times.add(timeOne(client, "bench-" + i, ranks));
      }
      List<Double> sorted = new ArrayList<>(times);
      Collections.sort(sorted);
      double median = sorted.get(sorted.size() / 2);
      System.out.printf(
          "{\"pods_created_ms\": %.1f, \"ranks\": %d, \"runs\": %d, \"min_ms\": %.1f,"
              + " \"max_ms\": %.1f, \"server\": \"fabric8-mock-crud\","
              + " \"path\": \"josdk-operator+reconciler\", \"goal_ms\": 1000}%n",
          median, ranks, runs, sorted.get(0), sorted.get(sorted.size() - 1));
    } finally {
      if (operator != null) {
        operator.stop();
      }
      server.after();
    }
    System.exit(0);
  }

  /** Milliseconds from creating a job of {@code ranks} ranks to its last rank pod existing. */
  static double timeOne(KubernetesClient client, String name, int ranks) throws Exception {
    CountDownLatch created = new CountDownLatch(ranks);
    try (Watch watch =
        client
            .pods()
            .inNamespace("bench")
            .withLabel(Kiln.LABEL_JOB, name)
            .watch(counter(created))) {
      TrainingJob job = Jobs.algorithm(name, ranks);
      job.getMetadata().setNamespace("bench");
      job.getMetadata().setUid(null);
      long start = System.nanoTime();
      client.resource(job).create();
      if (!created.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException(
            name + ": only " + (ranks - created.getCount()) + "/" + ranks + " pods within 60 s");
      }
      return (System.nanoTime() - start) / 1e6;
    }
  }

  private static Watcher<Pod> counter(CountDownLatch latch) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        if (action == Action.ADDED) {
          latch.countDown();
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  private static void quietLogs() {
    Logger.getLogger("").setLevel(Level.WARNING);
    for (var handler : Logger.getLogger("").getHandlers()) {
      handler.setLevel(Level.WARNING);
    }
  }

  private static int intArg(String[] args, String name, int fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }
}
