package dev.kiln.controlplane.endpoint;

/** Reasons of an endpoint's conditions and events (CamelCase, as Kubernetes writes them). */
public enum EndpointReason {
  WaitingForTrainingJob,
  TrainingJobNotFound,
  TrainingJobFailed,
  Deploying,
  RollingOut,
  RolledOut,
  Serving,
  ReplicasStarting,
  ModelCannotLoad,
  RouterUnavailable,
  CanaryStarted,
  CanaryBaking,
  BakeSucceeded,
  CanaryErrorRate,
  CanaryLatency,
  CanaryReplicaExited,
  ScaledUp,
  ScaledDown;

  /** The CamelCase text. */
  public String text() {
    return name();
  }
}
