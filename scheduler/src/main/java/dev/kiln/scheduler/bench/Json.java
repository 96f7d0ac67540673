package dev.kiln.scheduler.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/** Writes the benchmark's one-line JSON object: strings, numbers and nested objects only. */
final class Json {
  private Json() {}

  static String write(Map<String, ?> object) {
    StringBuilder out = new StringBuilder();
    write(object, out);
    return out.toString();
  }

  private static void write(Object value, StringBuilder out) {
    if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        string(String.valueOf(e.getKey()), out);
        out.append(':');
        write(e.getValue(), out);
      }
      out.append('}');
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      out.append(
          Double.isFinite(d)
              ? BigDecimal.valueOf(d)
                  .setScale(4, RoundingMode.HALF_UP)
                  .stripTrailingZeros()
                  .toPlainString()
              : "null");
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else {
      string(String.valueOf(value), out);
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
