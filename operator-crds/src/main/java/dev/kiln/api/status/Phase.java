package dev.kiln.api.status;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The phase of a TrainingJob or TuningJob. */
public enum Phase {
  @JsonProperty("Pending")
  PENDING,
  @JsonProperty("Queued")
  QUEUED,
  @JsonProperty("Running")
  RUNNING,
  @JsonProperty("Succeeded")
  SUCCEEDED,
  @JsonProperty("Failed")
  FAILED,
  @JsonProperty("Suspended")
  SUSPENDED;

  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED;
  }

  /** The name users see, e.g. {@code Running}. */
  public String display() {
    return name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
  }
}
