package dev.kiln.controlplane.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.api.Manifests;
import dev.kiln.api.status.TrainingJobStatus;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;
import java.util.EnumSet;

/**
 * The JSON Patch (RFC 6902) that turns one status into another, for the status subresource: only
 * what changed, so fields others write (ReportMetrics' metrics) are left alone. A status never
 * written by the control plane becomes one {@code add /status}: a freshly created job has no status
 * on the server, and {@code add /status/phase} would be rejected. Pure.
 */
public final class StatusPatch {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private StatusPatch() {}

  public static ArrayNode between(TrainingJobStatus before, TrainingJobStatus after) {
    JsonNode next = Manifests.json().valueToTree(after);
    if (before == null || before.phase == null) {
      ArrayNode whole = NODES.arrayNode();
      whole.addObject().put("op", "add").put("path", "/status").set("value", next);
      return whole;
    }
    return (ArrayNode)
        JsonDiff.asJson(
            wrap(Manifests.json().valueToTree(before)),
            wrap(next),
            EnumSet.of(DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_COPY_OPERATION));
  }

  private static ObjectNode wrap(JsonNode status) {
    ObjectNode root = NODES.objectNode();
    root.set("status", status);
    return root;
  }
}
