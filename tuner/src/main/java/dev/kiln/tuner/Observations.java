package dev.kiln.tuner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * A sweep's history as strategies see it, in unit coordinates and as losses (lower is better): the
 * goal is applied here and nowhere else in the strategies. Trials are taken in index order, so the
 * result does not depend on the order of the list passed in.
 */
public final class Observations {
  private final List<double[]> observedUnit = new ArrayList<>();
  private final List<Double> losses = new ArrayList<>();
  private final List<double[]> activeUnit = new ArrayList<>();
  private final Set<Map<String, Object>> taken = new HashSet<>();
  private final int nextIndex;

  private Observations(SearchSpace space, Goal goal, List<Trial> history) {
    List<Trial> sorted = new ArrayList<>(history);
    sorted.sort(Comparator.comparingInt(Trial::index));
    for (Trial t : sorted) {
      taken.add(space.canonical(t.parameters()));
      OptionalDouble v = t.observedValue();
      if (v.isPresent() && Double.isFinite(v.getAsDouble())) {
        observedUnit.add(space.toUnit(t.parameters()));
        losses.add(goal.toLoss(v.getAsDouble()));
      } else if (t.state().isActive()) {
        activeUnit.add(space.toUnit(t.parameters()));
      }
    }
    this.nextIndex = SearchStrategy.nextIndex(history);
  }

  public static Observations of(SearchSpace space, Goal goal, List<Trial> history) {
    return new Observations(space, goal, history);
  }

  /** Trials with an objective, in index order. */
  public int observedCount() {
    return losses.size();
  }

  /** Unit coordinates of observed trial {@code i} (index order). */
  public double[] observedUnit(int i) {
    return observedUnit.get(i).clone();
  }

  /** Loss of observed trial {@code i}: lower is better. */
  public double loss(int i) {
    return losses.get(i);
  }

  /** All losses, index order. */
  public double[] losses() {
    return losses.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Unit coordinates of pending and running trials, index order. */
  public List<double[]> activeUnit() {
    return activeUnit.stream().map(double[]::clone).toList();
  }

  /** Whether a trial (in any state) already has these parameters (canonical form). */
  public boolean isTaken(Map<String, Object> canonicalPoint) {
    return taken.contains(canonicalPoint);
  }

  /** Records a point suggested in the current call, so later ones in the call avoid it. */
  public void take(Map<String, Object> canonicalPoint) {
    taken.add(canonicalPoint);
  }

  /** The index the first suggestion of this call is for. */
  public int nextIndex() {
    return nextIndex;
  }
}
