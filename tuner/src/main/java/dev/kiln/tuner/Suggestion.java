package dev.kiln.tuner;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parameters for a new trial, in the space's order, values typed (Double, Long or String).
 *
 * @param parameters parameter name to value
 */
public record Suggestion(Map<String, Object> parameters) {

  /** The parameters as strings, the way a TrainingJob's {@code hyperparameters} holds them. */
  public Map<String, String> asStrings() {
    Map<String, String> out = new LinkedHashMap<>();
    parameters.forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }
}
