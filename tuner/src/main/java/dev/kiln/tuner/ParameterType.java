package dev.kiln.tuner;

import java.util.Locale;

/** The type of a search-space parameter, as written in a TuningJob: double, int or categorical. */
public enum ParameterType {
  DOUBLE,
  INT,
  CATEGORICAL;

  /** Parses the spec's spelling; {@code what} names the parameter in the error message. */
  public static ParameterType parse(String text, String what) {
    if (text != null) {
      for (ParameterType t : values()) {
        if (t.wireName().equals(text.trim().toLowerCase(Locale.ROOT))) {
          return t;
        }
      }
    }
    throw new IllegalArgumentException(
        what + ": type must be one of double, int, categorical, got '" + text + "'");
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
