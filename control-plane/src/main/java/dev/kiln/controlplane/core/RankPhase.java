package dev.kiln.controlplane.core;

/** Where a rank is in its life, whatever runs it (a pod or a local process). */
public enum RankPhase {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED;

  public boolean finished() {
    return this == SUCCEEDED || this == FAILED;
  }
}
