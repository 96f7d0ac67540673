package dev.kiln.api.validation;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Collects violations under a path prefix; the small vocabulary every validator uses. */
final class Checks {
  static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  static final Pattern S3_URI = Pattern.compile("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$");
  static final Pattern IDENTIFIER = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");

  private final List<Violation> violations;
  private final String prefix;

  Checks() {
    this(new ArrayList<>(), "");
  }

  private Checks(List<Violation> violations, String prefix) {
    this.violations = violations;
    this.prefix = prefix;
  }

  /** Checks of a nested object, sharing this collector. */
  Checks at(String path) {
    return new Checks(violations, join(path));
  }

  List<Violation> violations() {
    return violations;
  }

  void fail(String path, String message) {
    violations.add(new Violation(join(path), message));
  }

  boolean required(String path, Object value) {
    if (value == null) {
      fail(path, "is required");
      return false;
    }
    return true;
  }

  void range(String path, Number value, double min, double max) {
    if (value != null && (value.doubleValue() < min || value.doubleValue() > max)) {
      fail(path, "must be between " + fmt(min) + " and " + fmt(max) + ", found " + value);
    }
  }

  void positive(String path, Number value) {
    if (value != null && !(value.doubleValue() > 0)) {
      fail(path, "must be greater than 0, found " + value);
    }
  }

  void atLeast(String path, Number value, double min) {
    if (value != null && value.doubleValue() < min) {
      fail(path, "must be at least " + fmt(min) + ", found " + value);
    }
  }

  void matches(String path, String value, Pattern pattern, String what) {
    if (value != null && !pattern.matcher(value).matches()) {
      fail(path, "'" + value + "' is not " + what);
    }
  }

  void s3Uri(String path, String value) {
    matches(path, value, S3_URI, "an S3 URI like s3://bucket/prefix/");
  }

  /** A quantity such as {@code 2Gi} or {@code 500m}: parsable and not negative. */
  void quantity(String path, Quantity value, boolean mustBePositive) {
    if (value == null) {
      return;
    }
    try {
      BigDecimal amount = value.getNumericalAmount();
      if (amount.signum() < 0 || (mustBePositive && amount.signum() == 0)) {
        fail(
            path, "must be " + (mustBePositive ? "positive" : "zero or more") + ", found " + value);
      }
    } catch (RuntimeException e) {
      fail(path, "'" + value + "' is not a quantity like 2, 500m or 4Gi");
    }
  }

  private String join(String path) {
    if (prefix.isEmpty()) {
      return path;
    }
    return path.isEmpty() ? prefix : prefix + "." + path;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
