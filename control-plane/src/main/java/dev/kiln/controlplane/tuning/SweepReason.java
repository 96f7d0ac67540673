package dev.kiln.controlplane.tuning;

/** Why a sweep or one of its trials is where it is: CamelCase reasons of conditions and events. */
public enum SweepReason {
  INVALID_SPEC("InvalidSpec"),
  TRIALS_RUNNING("TrialsRunning"),
  TRIAL_CREATED("TrialCreated"),
  TRIAL_PROMOTED("TrialPromoted"),
  TRIAL_LOST("TrialLost"),
  EARLY_STOPPED("EarlyStopped"),
  METRICS_UNAVAILABLE("MetricsUnavailable"),
  MAX_FAILED_TRIALS_REACHED("MaxFailedTrialsReached"),
  NO_TRIAL_SUCCEEDED("NoTrialSucceeded"),
  COMPLETED("Completed"),
  STOPPED("Stopped"),
  AS_EXPECTED("AsExpected");

  private final String text;

  SweepReason(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }
}
