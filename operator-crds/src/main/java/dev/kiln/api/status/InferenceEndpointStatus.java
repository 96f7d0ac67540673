package dev.kiln.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the control plane observed of an endpoint. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InferenceEndpointStatus {
  /** Pending | Deploying | Ready | Failed. */
  public String phase;

  public Long observedGeneration;
  public String url;
  public ReplicaCounts replicas;
  public ModelVersions model;
  public ScaleDecision lastScale;
  public List<Condition> conditions = new ArrayList<>();

  /** Replicas ready and wanted. */
  public static class ReplicaCounts {
    public int ready;
    public int desired;
  }

  /** The stable and the canary model URIs. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ModelVersions {
    public String current;
    public String canary;

    /** A canary the controller rolled back; it is not deployed again until spec.canary changes. */
    public String rolledBack;
  }

  /** The autoscaler's last decision and why. */
  public static class ScaleDecision {
    public String time;
    public int from;
    public int to;
    public String reason;
  }
}
