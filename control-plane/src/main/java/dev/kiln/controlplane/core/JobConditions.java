package dev.kiln.controlplane.core;

import dev.kiln.api.Conditions;

/** The condition types of a TrainingJob. */
public final class JobConditions {
  public static final String READY = Conditions.READY;
  public static final String PROGRESSING = Conditions.PROGRESSING;
  public static final String DEGRADED = Conditions.DEGRADED;
  public static final String GANG_SCHEDULED = Conditions.GANG_SCHEDULED;

  /** False while an edit of the spec is refused; the job keeps its previous spec. */
  public static final String SPEC_APPLIED = "SpecApplied";

  private JobConditions() {}
}
