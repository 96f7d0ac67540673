package dev.kiln.controlplane.tuning;

/** Names a sweep puts on its trials: the trial's name, label and the annotations that record it. */
public final class TrialNames {
  /** On every trial: the name of the TuningJob it belongs to. */
  public static final String LABEL_SWEEP = "kiln.dev/tuningjob";

  /** The trial's index in its sweep, recorded in the trial itself when it is created. */
  public static final String INDEX = "kiln.dev/trial-index";

  /** The trial's parameters as a JSON object of strings, recorded with its index. */
  public static final String PARAMETERS = "kiln.dev/trial-parameters";

  /** On a TuningJob: stop the sweep (set by {@code kiln sweep stop}; the value says why). */
  public static final String STOP = "kiln.dev/stop";

  private TrialNames() {}

  /** Trial k of sweep S is the TrainingJob {@code S-k}. */
  public static String trial(String sweep, int index) {
    return sweep + "-" + index;
  }
}
