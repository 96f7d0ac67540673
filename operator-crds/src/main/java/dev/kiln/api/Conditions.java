package dev.kiln.api;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Kubernetes-style conditions: one per type, {@code lastTransitionTime} kept unless the status
 * changed.
 */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";
  public static final String GANG_SCHEDULED = "GangScheduled";
  public static final String CHECKPOINT_SAVED = "CheckpointSaved";
  public static final String EARLY_STOPPED = "EarlyStopped";
  public static final String ADMITTED = "Admitted";

  private Conditions() {}

  /**
   * Sets condition {@code type}; returns whether anything changed.
   *
   * @param reason a CamelCase reason, e.g. {@code GangStartTimeout}
   */
  public static boolean set(
      List<Condition> conditions,
      String type,
      boolean status,
      String reason,
      String message,
      Long observedGeneration,
      Instant now) {
    String statusText = status ? "True" : "False";
    Optional<Condition> existing = find(conditions, type);
    if (existing.isPresent()) {
      Condition c = existing.get();
      boolean same =
          statusText.equals(c.getStatus())
              && Objects.equals(reason, c.getReason())
              && Objects.equals(message, c.getMessage())
              && Objects.equals(observedGeneration, c.getObservedGeneration());
      if (same) {
        return false;
      }
      if (!statusText.equals(c.getStatus())) {
        c.setLastTransitionTime(timestamp(now));
      }
      c.setStatus(statusText);
      c.setReason(reason);
      c.setMessage(message);
      c.setObservedGeneration(observedGeneration);
      return true;
    }
    conditions.add(
        new ConditionBuilder()
            .withType(type)
            .withStatus(statusText)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(observedGeneration)
            .withLastTransitionTime(timestamp(now))
            .build());
    return true;
  }

  /** Removes condition {@code type}; returns whether it was there. */
  public static boolean remove(List<Condition> conditions, String type) {
    return conditions.removeIf(c -> type.equals(c.getType()));
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /** RFC 3339 in seconds, as the API server writes times. */
  public static String timestamp(Instant now) {
    return now.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
