package dev.kiln.tuner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What the tuner knows about one trial, all of it recoverable from the trial's recorded parameters
 * and its status: no strategy or early-stopping rule keeps anything else.
 *
 * @param index the trial's number in its sweep (trial k is {@code <sweep>-<k>})
 * @param parameters the trial's parameters by name; values may be typed or strings
 * @param state where the trial stands
 * @param history the objective metric per epoch (sorted by epoch; a repeated epoch keeps the last
 *     report); empty for black-box trials
 * @param value the final objective, if the trial reported one; otherwise a finished trial's value
 *     is its last history entry
 */
public record Trial(
    int index,
    Map<String, Object> parameters,
    TrialState state,
    List<MetricPoint> history,
    OptionalDouble value) {

  public Trial {
    if (index < 0) {
      throw new IllegalArgumentException("trial index must be >= 0, got " + index);
    }
    parameters = Map.copyOf(parameters);
    if (state == null) {
      throw new IllegalArgumentException("trial " + index + " has no state");
    }
    history = normalize(history == null ? List.of() : history);
    value = value == null ? OptionalDouble.empty() : value;
  }

  private static List<MetricPoint> normalize(List<MetricPoint> history) {
    List<MetricPoint> sorted = new ArrayList<>(history);
    sorted.sort(Comparator.comparingInt(MetricPoint::epoch));
    List<MetricPoint> out = new ArrayList<>(sorted.size());
    for (MetricPoint p : sorted) {
      if (!out.isEmpty() && out.get(out.size() - 1).epoch() == p.epoch()) {
        out.set(out.size() - 1, p);
      } else {
        out.add(p);
      }
    }
    return List.copyOf(out);
  }

  /** A finished black-box trial with its objective value. */
  public static Trial completed(int index, Map<String, ?> parameters, double value) {
    return new Trial(
        index, copy(parameters), TrialState.COMPLETED, List.of(), OptionalDouble.of(value));
  }

  /** A trial created but not reporting yet. */
  public static Trial pending(int index, Map<String, ?> parameters) {
    return new Trial(
        index, copy(parameters), TrialState.PENDING, List.of(), OptionalDouble.empty());
  }

  /** A trial with its history so far, in the given state. */
  public static Trial of(
      int index, Map<String, ?> parameters, TrialState state, List<MetricPoint> history) {
    return new Trial(index, copy(parameters), state, history, OptionalDouble.empty());
  }

  /** A trial that ended without an objective. */
  public static Trial failed(int index, Map<String, ?> parameters) {
    return new Trial(index, copy(parameters), TrialState.FAILED, List.of(), OptionalDouble.empty());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> copy(Map<String, ?> parameters) {
    return (Map<String, Object>) Map.copyOf(parameters);
  }

  /** This trial in another state, everything else equal. */
  public Trial withState(TrialState newState) {
    return new Trial(index, parameters, newState, history, value);
  }

  /** This trial with one more epoch reported. */
  public Trial withReport(int epoch, double metric) {
    List<MetricPoint> h = new ArrayList<>(history);
    h.add(new MetricPoint(epoch, metric));
    return new Trial(index, parameters, state, h, value);
  }

  /**
   * The objective this trial counts with: the final value of a completed, stopped or paused trial
   * (its last reported epoch if it has no explicit value); empty while active or when failed.
   */
  public OptionalDouble observedValue() {
    if (state == TrialState.COMPLETED
        || state == TrialState.STOPPED
        || state == TrialState.PAUSED) {
      if (value.isPresent()) {
        return value;
      }
      if (!history.isEmpty()) {
        return OptionalDouble.of(history.get(history.size() - 1).value());
      }
    }
    return OptionalDouble.empty();
  }

  /** The last epoch reported, 0 if none. */
  public int lastEpoch() {
    return history.isEmpty() ? 0 : history.get(history.size() - 1).epoch();
  }

  /** The metric at the last reported epoch not after {@code epoch}; empty if there is none. */
  public OptionalDouble valueAt(int epoch) {
    OptionalDouble v = OptionalDouble.empty();
    for (MetricPoint p : history) {
      if (p.epoch() > epoch) {
        break;
      }
      v = OptionalDouble.of(p.value());
    }
    return v;
  }
}
