package dev.kiln.tuner;

import java.util.Locale;

/** How a numeric parameter is searched: evenly on its values, or evenly on their logarithm. */
public enum Scale {
  LINEAR,
  LOG;

  /** Parses the spec's spelling; {@code what} names the parameter in the error message. */
  public static Scale parse(String text, String what) {
    if (text != null) {
      for (Scale s : values()) {
        if (s.wireName().equals(text.trim().toLowerCase(Locale.ROOT))) {
          return s;
        }
      }
    }
    throw new IllegalArgumentException(
        what + ": scale must be 'linear' or 'log', got '" + text + "'");
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
