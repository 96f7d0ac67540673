package dev.kiln.controlplane.endpoint;

import dev.kiln.api.Manifests;
import dev.kiln.api.status.InferenceEndpointStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the endpoint core decided: actions for the shell, the new status, the autoscaler's memory
 * (since when the load has wanted fewer replicas), and when to look again.
 */
public record EndpointDecision(
    List<EndpointAction> actions,
    InferenceEndpointStatus status,
    Instant lowSince,
    Duration requeueAfter) {

  /** Whether the status differs from {@code old} (the shell writes it only then). */
  public boolean statusChanged(InferenceEndpointStatus old) {
    return !Objects.equals(Manifests.toJson(old), Manifests.toJson(status));
  }
}
