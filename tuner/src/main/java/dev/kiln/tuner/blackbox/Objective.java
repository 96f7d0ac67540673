package dev.kiln.tuner.blackbox;

import java.util.Map;

/** A black-box objective: parameters in, one number out. */
@FunctionalInterface
public interface Objective {
  /**
   * Evaluates the objective at {@code parameters} (typed values: Double, Long, String).
   *
   * @throws ObjectiveException when no value could be obtained (the trial counts as failed)
   */
  double evaluate(Map<String, Object> parameters) throws ObjectiveException;

  /** Why an evaluation produced no value. */
  final class ObjectiveException extends Exception {
    public ObjectiveException(String message) {
      super(message);
    }

    public ObjectiveException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
