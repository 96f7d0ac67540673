package dev.kiln.scheduler.k8s;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kiln-scheduler's placement loop: each pass reserves whole gangs, then binds their pods one by
 * one. A gang whose bind fails part-way has its bound pods deleted and its reservation released, so
 * no gang is ever left partly placed. Single-threaded: call {@link #pass} from one thread.
 */
final class GangBinder {
  private static final Logger LOG = LoggerFactory.getLogger(GangBinder.class);

  private final BindPlanner planner;
  private final PodBindings bindings;

  /** Pod key to node for binds in flight: counted as used until the pod shows up bound. */
  private final Map<String, String> reservations = new HashMap<>();

  /** What a pass did. */
  record Report(List<String> bound, List<String> failed, List<String> rolledBack, int waiting) {}

  GangBinder(BindPlanner planner, PodBindings bindings) {
    this.planner = planner;
    this.bindings = bindings;
  }

  Report pass(List<Node> nodes, List<Pod> pods) {
    BindPlan plan = planner.plan(nodes, pods, Map.copyOf(reservations));
    plan.released().forEach(reservations::remove);
    List<String> bound = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String> rolledBack = new ArrayList<>();
    for (PodGang g : plan.rollbacks()) {
      LOG.warn("gang {} is partly bound with no bind in flight; deleting its bound pods", g.key());
      deleteAll(g.bound());
      rolledBack.add(g.key());
    }
    for (BindPlan.Placement p : plan.placements()) {
      (bindGang(p) ? bound : failed).add(p.gang().key());
    }
    for (BindPlan.Waiting w : plan.waiting()) {
      for (Pod pod : w.gang().pods()) {
        try {
          bindings.reportPending(
              pod.getMetadata().getNamespace(),
              pod.getMetadata().getName(),
              w.reason(),
              w.message());
        } catch (RuntimeException e) {
          // A condition is advice for humans; the next pass writes it again.
          LOG.debug("could not report pending on {}: {}", PodGang.podKey(pod), e.getMessage());
        }
      }
    }
    return new Report(bound, failed, rolledBack, plan.waiting().size());
  }

  /** Pods whose bind is in flight, with their nodes. */
  Map<String, String> reservations() {
    return Map.copyOf(reservations);
  }

  private boolean bindGang(BindPlan.Placement p) {
    List<Pod> pods = p.gang().pods();
    for (int i = 0; i < pods.size(); i++) {
      reservations.put(PodGang.podKey(pods.get(i)), p.nodes().get(i));
    }
    List<Pod> done = new ArrayList<>();
    for (int i = 0; i < pods.size(); i++) {
      Pod pod = pods.get(i);
      try {
        bindings.bind(
            pod.getMetadata().getNamespace(), pod.getMetadata().getName(), p.nodes().get(i));
        done.add(pod);
      } catch (RuntimeException e) {
        LOG.warn(
            "binding {} to {} failed ({}); deleting the {} bound pods of gang {}",
            PodGang.podKey(pod),
            p.nodes().get(i),
            e.getMessage(),
            done.size(),
            p.gang().key());
        deleteAll(done);
        pods.forEach(x -> reservations.remove(PodGang.podKey(x)));
        return false;
      }
    }
    LOG.info("bound gang {} to {}", p.gang().key(), p.nodes());
    return true;
  }

  private void deleteAll(List<Pod> pods) {
    for (Pod pod : pods) {
      try {
        bindings.delete(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
      } catch (RuntimeException e) {
        // The pass after next finds the gang partly bound again and retries the delete.
        LOG.warn("could not delete {}: {}", PodGang.podKey(pod), e.getMessage());
      }
    }
  }
}
