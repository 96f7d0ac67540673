package dev.kiln.controlplane.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.api.Manifests;
import dev.kiln.api.status.Phase;
import dev.kiln.api.status.TrainingJobStatus;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusPatchTest {

  @Test
  void aStatusNeverWrittenIsAddedWhole() {
    TrainingJobStatus after = new TrainingJobStatus();
    after.phase = Phase.PENDING;
    JsonNode patch = StatusPatch.between(new TrainingJobStatus(), after);
    assertThat(patch).hasSize(1);
    assertThat(patch.get(0).get("op").asText()).isEqualTo("add");
    assertThat(patch.get(0).get("path").asText()).isEqualTo("/status");
    // It applies to a job without any status, as the API server stores a new one.
    JsonNode stored = Manifests.json().createObjectNode().put("kind", "TrainingJob");
    assertThat(JsonPatch.apply(patch, stored).at("/status/phase").asText()).isEqualTo("Pending");
  }

  @Test
  void laterWritesTouchOnlyWhatChangedAndLeaveMetricsAlone() {
    TrainingJobStatus before = new TrainingJobStatus();
    before.phase = Phase.PENDING;
    before.attempt = 1;
    TrainingJobStatus after = Manifests.copy(before);
    after.phase = Phase.RUNNING;
    after.startTime = "2025-01-01T00:00:00Z";

    JsonNode patch = StatusPatch.between(before, after);
    assertThat(patch)
        .extracting(op -> op.get("path").asText())
        .containsExactlyInAnyOrder("/status/phase", "/status/startTime");

    // The server has metrics that this writer never saw: they survive.
    TrainingJobStatus server = Manifests.copy(before);
    server.metrics = new TrainingJobStatus.Metrics();
    server.metrics.history = List.of(Map.of("epoch", 1.0));
    JsonNode stored =
        Manifests.json().createObjectNode().set("status", Manifests.json().valueToTree(server));
    JsonNode result = JsonPatch.apply(patch, stored);
    assertThat(result.at("/status/phase").asText()).isEqualTo("Running");
    assertThat(result.at("/status/metrics/history/0/epoch").asDouble()).isEqualTo(1.0);
  }
}
