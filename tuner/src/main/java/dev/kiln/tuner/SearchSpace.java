package dev.kiln.tuner;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parameters a sweep searches over, in order. A point of the space is a map from parameter name
 * to value; strategies see it as a vector of unit coordinates, one per parameter.
 */
public final class SearchSpace {
  private final List<Parameter> parameters;

  private SearchSpace(List<Parameter> parameters) {
    if (parameters.isEmpty()) {
      throw new IllegalArgumentException("a search space needs at least one parameter");
    }
    Set<String> names = new HashSet<>();
    for (Parameter p : parameters) {
      if (!names.add(p.name())) {
        throw new IllegalArgumentException("parameter '" + p.name() + "' is defined twice");
      }
    }
    this.parameters = List.copyOf(parameters);
  }

  public static SearchSpace of(List<Parameter> parameters) {
    return new SearchSpace(parameters);
  }

  public static SearchSpace of(Parameter... parameters) {
    return new SearchSpace(List.of(parameters));
  }

  /**
   * A space from a TuningJob's {@code parameters} entries, each a plain map (see {@link
   * Parameter#fromMap}).
   */
  public static SearchSpace fromMaps(List<? extends Map<String, ?>> entries) {
    if (entries == null) {
      throw new IllegalArgumentException("parameters are required");
    }
    List<Parameter> ps = new ArrayList<>();
    for (Map<String, ?> e : entries) {
      ps.add(Parameter.fromMap(e));
    }
    return new SearchSpace(ps);
  }

  public List<Parameter> parameters() {
    return parameters;
  }

  public int size() {
    return parameters.size();
  }

  public Parameter get(int i) {
    return parameters.get(i);
  }

  /** The point at the given unit coordinates, one per parameter, in parameter order. */
  public Map<String, Object> fromUnit(double[] unit) {
    if (unit.length != parameters.size()) {
      throw new IllegalArgumentException(
          "expected " + parameters.size() + " coordinates, got " + unit.length);
    }
    Map<String, Object> point = new LinkedHashMap<>();
    for (int i = 0; i < unit.length; i++) {
      point.put(parameters.get(i).name(), parameters.get(i).fromUnit(unit[i]));
    }
    return Collections.unmodifiableMap(point);
  }

  /** The unit coordinates of a point; every parameter must be present. */
  public double[] toUnit(Map<String, ?> point) {
    double[] u = new double[parameters.size()];
    for (int i = 0; i < u.length; i++) {
      u[i] = parameters.get(i).toUnit(require(point, parameters.get(i).name()));
    }
    return u;
  }

  /**
   * The point with every value in its canonical type (Double, Long, String), in parameter order.
   */
  public Map<String, Object> canonical(Map<String, ?> point) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Parameter p : parameters) {
      out.put(p.name(), p.canonical(require(point, p.name())));
    }
    return Collections.unmodifiableMap(out);
  }

  private static Object require(Map<String, ?> point, String name) {
    Object v = point.get(name);
    if (v == null) {
      throw new IllegalArgumentException("point " + point + " has no value for '" + name + "'");
    }
    return v;
  }

  @Override
  public String toString() {
    return "SearchSpace" + parameters;
  }
}
