package dev.kiln.controlplane.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.api.Manifests;
import dev.kiln.api.spec.TrainingJobSpec;
import dev.kiln.api.status.Phase;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides, field by field, what an edit of a job's spec means. The spec in force is recorded as
 * {@code status.lastReconciledSpec}; fields that never touch running ranks apply at once, raising
 * {@code algorithm.epochs} applies to a Succeeded or Suspended job (the next attempt resumes from
 * the newest checkpoint), and everything else is refused with a condition.
 */
final class SpecChanges {
  /** Fields that only steer the controller, never the ranks: they apply at any time. */
  static final Set<String> ALWAYS_APPLIED =
      Set.of(
          "suspend",
          "maxRestarts",
          "startupTimeoutSeconds",
          "activeDeadlineSeconds",
          "ttlSecondsAfterFinished",
          "metrics");

  private SpecChanges() {}

  static void apply(Plan plan) {
    ObjectNode accepted = Manifests.json().valueToTree(plan.spec);
    ObjectNode wanted = Manifests.json().valueToTree(plan.job.getSpec());
    ObjectNode next = accepted.deepCopy();
    List<String> refused = new ArrayList<>();
    for (String field : fieldNames(accepted, wanted)) {
      JsonNode was = accepted.get(field);
      JsonNode now = wanted.get(field);
      if (was == null ? now == null : was.equals(now)) {
        continue;
      }
      if (ALWAYS_APPLIED.contains(field) || epochsRaised(plan, field, was, now)) {
        if (now == null) {
          next.remove(field);
        } else {
          next.set(field, now);
        }
      } else {
        refused.add("spec." + field);
      }
    }
    if (!next.equals(accepted)) {
      plan.status.lastReconciledSpec = Manifests.toJson(next);
      plan.spec = Manifests.json().convertValue(next, TrainingJobSpec.class);
    }
    if (refused.isEmpty()) {
      plan.condition(JobConditions.SPEC_APPLIED, true, Reason.SPEC_APPLIED, null);
      return;
    }
    String message =
        String.join(", ", refused)
            + " cannot change while the job is "
            + plan.status.phase.display()
            + "; it keeps its previous values. Delete and re-create the job to change them.";
    if (plan.condition(JobConditions.SPEC_APPLIED, false, Reason.SPEC_CHANGE_REFUSED, message)) {
      plan.event(Action.EventType.Warning, Reason.SPEC_CHANGE_REFUSED, message);
    }
  }

  /** A raise of {@code algorithm.epochs}, nothing else, on a job that is not running. */
  private static boolean epochsRaised(Plan plan, String field, JsonNode was, JsonNode now) {
    if (!"algorithm".equals(field) || was == null || now == null) {
      return false;
    }
    Phase phase = plan.status.phase;
    if (phase != Phase.SUCCEEDED && phase != Phase.SUSPENDED) {
      return false;
    }
    ObjectNode wasRest = ((ObjectNode) was).deepCopy();
    ObjectNode nowRest = ((ObjectNode) now).deepCopy();
    JsonNode wasEpochs = wasRest.remove("epochs");
    JsonNode nowEpochs = nowRest.remove("epochs");
    if (!wasRest.equals(nowRest) || wasEpochs == null || nowEpochs == null) {
      return false;
    }
    if (nowEpochs.asInt() <= wasEpochs.asInt()) {
      return false;
    }
    plan.epochsRaised =
        "algorithm.epochs raised from " + wasEpochs.asInt() + " to " + nowEpochs.asInt();
    return true;
  }

  private static Set<String> fieldNames(JsonNode a, JsonNode b) {
    Set<String> names = new LinkedHashSet<>();
    for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
