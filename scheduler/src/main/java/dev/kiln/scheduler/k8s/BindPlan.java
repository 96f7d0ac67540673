package dev.kiln.scheduler.k8s;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Set;

/**
 * What one pass of the binder should do; computed by {@link BindPlanner} without I/O.
 *
 * @param placements gangs to reserve and bind now
 * @param rollbacks gangs found partly bound with no bind in flight: delete their bound pods
 * @param waiting gangs that stay pending, with the reason and message for their pods
 * @param released reservations no longer needed: their pods are bound or gone
 */
record BindPlan(
    List<Placement> placements,
    List<PodGang> rollbacks,
    List<Waiting> waiting,
    Set<String> released) {

  /** The node for each pod of the gang, in the gang's pod order. */
  record Placement(PodGang gang, List<String> nodes) {
    Pod pod(int i) {
      return gang.pods().get(i);
    }
  }

  /** A gang that waits; its pods get condition PodScheduled=False with this reason and message. */
  record Waiting(PodGang gang, String reason, String message) {}
}
