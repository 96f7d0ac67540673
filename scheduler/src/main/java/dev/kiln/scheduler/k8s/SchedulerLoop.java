package dev.kiln.scheduler.k8s;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs binder passes while this replica leads: on every pod or node change (coalesced) and once a
 * second, over the informers' caches, on one thread.
 */
final class SchedulerLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerLoop.class);

  private final KubernetesClient client;
  private final GangBinder binder;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "kiln-scheduler-pass");
            t.setDaemon(true);
            return t;
          });
  private final AtomicBoolean queued = new AtomicBoolean();
  private volatile SharedIndexInformer<Pod> pods;
  private volatile SharedIndexInformer<Node> nodes;

  /** No pass before both caches are synced: a half-listed cluster looks emptier than it is. */
  private volatile boolean synced;

  SchedulerLoop(KubernetesClient client, GangBinder binder) {
    this.client = client;
    this.binder = binder;
  }

  /** Returns at once: informers sync on the loop's thread, not the leader elector's. */
  void start() {
    executor.execute(this::startInformers);
  }

  private void startInformers() {
    ResourceEventHandler<Object> onChange =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Object obj) {
            trigger();
          }

          @Override
          public void onUpdate(Object oldObj, Object newObj) {
            trigger();
          }

          @Override
          public void onDelete(Object obj, boolean deletedFinalStateUnknown) {
            trigger();
          }
        };
    SharedIndexInformer<Node> nodeInformer = client.nodes().runnableInformer(0);
    nodeInformer.addEventHandler(cast(onChange));
    SharedIndexInformer<Pod> podInformer = client.pods().inAnyNamespace().runnableInformer(0);
    podInformer.addEventHandler(cast(onChange));
    nodes = nodeInformer;
    pods = podInformer;
    CompletableFuture.allOf(
            nodeInformer.start().toCompletableFuture(), podInformer.start().toCompletableFuture())
        .join();
    synced = true;
    executor.scheduleWithFixedDelay(this::pass, 0, 1, TimeUnit.SECONDS);
    LOG.info("kiln-scheduler is placing gangs");
  }

  private void trigger() {
    if (queued.compareAndSet(false, true)) {
      executor.execute(
          () -> {
            queued.set(false);
            pass();
          });
    }
  }

  private void pass() {
    if (!synced) {
      return;
    }
    try {
      GangBinder.Report r = binder.pass(nodes.getStore().list(), pods.getStore().list());
      if (!r.bound().isEmpty() || !r.failed().isEmpty() || !r.rolledBack().isEmpty()) {
        LOG.info("pass: bound {} failed {} rolled back {}", r.bound(), r.failed(), r.rolledBack());
      }
    } catch (RuntimeException e) {
      // Keep placing: a pass that failed on a transient error is simply run again.
      LOG.error("scheduling pass failed", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> ResourceEventHandler<T> cast(ResourceEventHandler<Object> h) {
    return (ResourceEventHandler<T>) (ResourceEventHandler<?>) h;
  }

  @Override
  public void close() {
    executor.shutdownNow();
    if (pods != null) {
      pods.close();
    }
    if (nodes != null) {
      nodes.close();
    }
  }
}
