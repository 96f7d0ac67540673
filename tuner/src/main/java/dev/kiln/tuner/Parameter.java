package dev.kiln.tuner;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One dimension of a search space, exactly a TuningJob {@code parameters} entry: {@code {name,
 * type: double|int|categorical, min, max, scale: linear|log, values: [...]}}.
 *
 * <p>Every parameter maps to and from a coordinate in [0, 1] ("unit coordinate"), which is what
 * strategies search: linear or logarithmic for numbers, equal-width bins for ints and categories.
 * Values are {@link Double} for double, {@link Long} for int and {@link String} for categorical.
 *
 * @param min lower bound, inclusive (NaN for categorical)
 * @param max upper bound, inclusive (NaN for categorical)
 * @param scale linear or log (always linear for categorical)
 * @param values the choices of a categorical parameter (empty otherwise)
 */
public record Parameter(
    String name, ParameterType type, double min, double max, Scale scale, List<String> values) {

  private static final Set<String> FIELDS = Set.of("name", "type", "min", "max", "scale", "values");

  public Parameter {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("parameter name must not be empty");
    }
    String what = "parameter '" + name + "'";
    if (type == null) {
      throw new IllegalArgumentException(what + ": type is required (double, int, categorical)");
    }
    values = values == null ? List.of() : List.copyOf(values);
    scale = scale == null ? Scale.LINEAR : scale;
    if (type == ParameterType.CATEGORICAL) {
      if (values.isEmpty()) {
        throw new IllegalArgumentException(
            what + ": categorical needs at least one entry in values");
      }
      if (new HashSet<>(values).size() != values.size()) {
        throw new IllegalArgumentException(what + ": values must be distinct, got " + values);
      }
      if (!Double.isNaN(min) || !Double.isNaN(max) || scale != Scale.LINEAR) {
        throw new IllegalArgumentException(
            what + ": a categorical parameter takes values, not min, max or scale");
      }
    } else {
      if (!values.isEmpty()) {
        throw new IllegalArgumentException(
            what + ": a " + type.wireName() + " parameter takes min and max, not values");
      }
      if (Double.isNaN(min) || Double.isNaN(max)) {
        throw new IllegalArgumentException(what + ": min and max are required");
      }
      if (Double.isInfinite(min) || Double.isInfinite(max)) {
        throw new IllegalArgumentException(what + ": min and max must be finite");
      }
      if (!(min < max)) {
        throw new IllegalArgumentException(
            what + ": min (" + min + ") must be less than max (" + max + ")");
      }
      if (scale == Scale.LOG && !(min > 0)) {
        throw new IllegalArgumentException(what + ": log scale needs min > 0, got min " + min);
      }
      if (type == ParameterType.INT && (min != Math.rint(min) || max != Math.rint(max))) {
        throw new IllegalArgumentException(
            what + ": int bounds must be whole numbers, got " + min + " and " + max);
      }
    }
  }

  /** A double parameter searched on a linear or log scale. */
  public static Parameter ofDouble(String name, double min, double max, Scale scale) {
    return new Parameter(name, ParameterType.DOUBLE, min, max, scale, List.of());
  }

  /** An int parameter (both bounds inclusive) searched on a linear or log scale. */
  public static Parameter ofInt(String name, long min, long max, Scale scale) {
    return new Parameter(name, ParameterType.INT, min, max, scale, List.of());
  }

  /** A categorical parameter over the given values. */
  public static Parameter ofCategorical(String name, List<String> values) {
    return new Parameter(name, ParameterType.CATEGORICAL, Double.NaN, Double.NaN, null, values);
  }

  /**
   * Builds a parameter from a spec entry's plain values: keys {@code name, type, min, max, scale,
   * values}; numbers may be given as numbers or strings; a null value counts as absent.
   */
  public static Parameter fromMap(Map<String, ?> entry) {
    Object rawName = entry.get("name");
    String name = rawName == null ? null : rawName.toString();
    String what = "parameter '" + name + "'";
    for (String key : entry.keySet()) {
      if (!FIELDS.contains(key) && entry.get(key) != null) {
        throw new IllegalArgumentException(
            what + ": unknown field '" + key + "' (expected name, type, min, max, scale, values)");
      }
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("every parameter needs a name");
    }
    Object rawType = entry.get("type");
    if (rawType == null) {
      throw new IllegalArgumentException(what + ": type is required (double, int, categorical)");
    }
    ParameterType type = ParameterType.parse(rawType.toString(), what);
    Scale scale =
        entry.get("scale") == null ? null : Scale.parse(entry.get("scale").toString(), what);
    List<String> values = null;
    Object rawValues = entry.get("values");
    if (rawValues != null) {
      if (!(rawValues instanceof List<?> list)) {
        throw new IllegalArgumentException(what + ": values must be a list");
      }
      values = list.stream().map(String::valueOf).toList();
    }
    return new Parameter(
        name,
        type,
        number(entry.get("min"), what, "min"),
        number(entry.get("max"), what, "max"),
        scale,
        values);
  }

  /** This parameter as a spec entry (the inverse of {@link #fromMap}). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("type", type.wireName());
    if (type == ParameterType.CATEGORICAL) {
      m.put("values", values);
    } else {
      m.put("min", type == ParameterType.INT ? (Object) (long) min : (Object) min);
      m.put("max", type == ParameterType.INT ? (Object) (long) max : (Object) max);
      m.put("scale", scale.wireName());
    }
    return m;
  }

  private static double number(Object raw, String what, String field) {
    if (raw == null) {
      return Double.NaN;
    }
    if (raw instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(raw.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          what + ": " + field + " must be a number, got '" + raw + "'");
    }
  }

  /** Number of distinct values for int and categorical parameters; 0 for double. */
  public long cardinality() {
    return switch (type) {
      case DOUBLE -> 0;
      case INT -> (long) (max - min) + 1;
      case CATEGORICAL -> values.size();
    };
  }

  /** The value at unit coordinate {@code u} (clamped to [0, 1]). */
  public Object fromUnit(double u) {
    double c = Double.isNaN(u) ? 0.5 : Math.min(1.0, Math.max(0.0, u));
    switch (type) {
      case DOUBLE:
        {
          if (c == 0 || c == 1) {
            return c == 0 ? min : max; // exact ends, whatever the scale
          }
          double v =
              scale == Scale.LOG
                  ? Math.exp(Math.log(min) + c * (Math.log(max) - Math.log(min)))
                  : min + c * (max - min);
          return Math.min(max, Math.max(min, v));
        }
      case INT:
        {
          long v;
          if (scale == Scale.LOG) {
            double lo = Math.log(min - 0.5);
            double hi = Math.log(max + 0.5);
            v = Math.round(Math.exp(lo + c * (hi - lo)));
          } else {
            v = (long) min + (long) Math.floor(c * cardinality());
          }
          return Math.min((long) max, Math.max((long) min, v));
        }
      default:
        return values.get((int) Math.min(values.size() - 1, Math.floor(c * values.size())));
    }
  }

  /**
   * The unit coordinate of a value: the centre of its bin for int and categorical. Accepts numbers
   * or their string form (as recorded in a trial's hyperparameters).
   */
  public double toUnit(Object value) {
    switch (type) {
      case DOUBLE:
        {
          double v = Math.min(max, Math.max(min, numeric(value)));
          return scale == Scale.LOG
              ? (Math.log(v) - Math.log(min)) / (Math.log(max) - Math.log(min))
              : (v - min) / (max - min);
        }
      case INT:
        {
          double v = Math.min(max, Math.max(min, Math.rint(numeric(value))));
          if (scale == Scale.LOG) {
            double lo = Math.log(min - 0.5);
            double hi = Math.log(max + 0.5);
            return (Math.log(v) - lo) / (hi - lo);
          }
          return (v - min + 0.5) / cardinality();
        }
      default:
        return (indexOf(value) + 0.5) / values.size();
    }
  }

  /**
   * The interval of unit coordinates that maps to this int value: {@code [lo, hi]}. Used by
   * strategies that model ints as binned continuous values.
   */
  public double[] unitBin(long value) {
    if (type != ParameterType.INT) {
      throw new IllegalStateException("parameter '" + name + "' is not an int");
    }
    if (scale == Scale.LOG) {
      double lo = Math.log(min - 0.5);
      double hi = Math.log(max + 0.5);
      return new double[] {
        (Math.log(value - 0.5) - lo) / (hi - lo), (Math.log(value + 0.5) - lo) / (hi - lo)
      };
    }
    return new double[] {(value - min) / cardinality(), (value - min + 1) / cardinality()};
  }

  /** Index of a categorical value; throws with the allowed values if it is not one of them. */
  public int indexOf(Object value) {
    int i = values.indexOf(String.valueOf(value));
    if (i < 0) {
      throw new IllegalArgumentException(
          "parameter '" + name + "': value '" + value + "' is not one of " + values);
    }
    return i;
  }

  /** The canonical typed value (Double, Long or String) of a number, string or category. */
  public Object canonical(Object value) {
    return switch (type) {
      case DOUBLE -> numeric(value);
      case INT -> (long) Math.rint(numeric(value));
      case CATEGORICAL -> values.get(indexOf(value));
    };
  }

  private double numeric(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "parameter '" + name + "': '" + value + "' is not a number");
    }
  }
}
