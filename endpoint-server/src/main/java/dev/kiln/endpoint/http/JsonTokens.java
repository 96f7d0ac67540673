package dev.kiln.endpoint.http;

import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A strict, pull-style JSON tokenizer over a request body, with Jackson's token names but made for
 * bodies that are mostly numbers: a number is scanned once, in place, and converted straight from
 * the bytes (Clinger's exact fast path for the usual short decimals; {@link Double#parseDouble}
 * otherwise). That is about twice as fast as a general parser, and parsing is most of the server's
 * own work per request. {@code NaN}, {@code Infinity} and {@code -Infinity} are read as numbers so
 * that they can be refused with a precise message rather than as a syntax error.
 */
final class JsonTokens implements AutoCloseable {

  /** Malformed JSON, with where it was found. */
  static final class SyntaxError extends IOException {
    final int line;
    final int column;
    final String what;

    SyntaxError(String what, int line, int column) {
      super(what + " at line " + line + ", column " + column);
      this.what = what;
      this.line = line;
      this.column = column;
    }
  }

  private static final double[] POW10 = new double[23];

  static {
    double p = 1;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p;
      p *= 10;
    }
  }

  private final byte[] in;
  private int pos;
  // One entry per open container: true for an object. Bodies nest a few levels at most.
  private boolean[] objects = new boolean[16];
  private int depth;
  private boolean afterValue;
  private boolean expectName;
  private boolean started;
  private JsonToken current;
  private String name;
  private int start;
  private int end;
  private String text;
  private boolean negative;
  private boolean exact;
  private long mantissa;
  private int exponent;

  JsonTokens(byte[] in) {
    this.in = in;
  }

  JsonToken currentToken() {
    return current;
  }

  /** The field name, on a FIELD_NAME token. */
  String currentName() {
    return name;
  }

  /** The next token, or null after the top-level value. */
  JsonToken nextToken() throws IOException {
    text = null;
    skipWhitespace();
    if (depth == 0 && started) {
      if (pos < in.length) {
        throw error("unexpected content after the top-level value");
      }
      return current = null;
    }
    if (pos >= in.length) {
      throw error(started ? "unexpected end of input" : "no JSON value");
    }
    started = true;
    byte c = in[pos];
    if (current == JsonToken.FIELD_NAME) {
      return value(c);
    }
    if (depth > 0 && objects[depth - 1] && (c == '}' || !afterValue && expectName)) {
      return objectToken(c);
    }
    if (depth > 0 && !objects[depth - 1] && c == ']') {
      if (!afterValue && current != JsonToken.START_ARRAY) {
        throw error("expected a value after ','");
      }
      pos++;
      return close(JsonToken.END_ARRAY);
    }
    if (afterValue) {
      if (c != ',') {
        throw error(objects[depth - 1] ? "expected ',' or '}'" : "expected ',' or ']'");
      }
      pos++;
      afterValue = false;
      if (objects[depth - 1]) {
        expectName = true;
        skipWhitespace();
        if (pos >= in.length) {
          throw error("unexpected end of input");
        }
        return objectToken(in[pos]);
      }
      skipWhitespace();
      if (pos >= in.length) {
        throw error("unexpected end of input");
      }
      c = in[pos];
      if (c == ']') {
        throw error("expected a value after ','");
      }
    }
    return value(c);
  }

  private JsonToken objectToken(byte c) throws IOException {
    if (c == '}') {
      if (!afterValue && current != JsonToken.START_OBJECT) {
        throw error("expected a field name after ','");
      }
      pos++;
      return close(JsonToken.END_OBJECT);
    }
    if (c != '"') {
      throw error("expected a field name in double quotes");
    }
    name = string();
    skipWhitespace();
    if (pos >= in.length || in[pos] != ':') {
      throw error("expected ':' after the field name");
    }
    pos++;
    expectName = false;
    skipWhitespace();
    if (pos >= in.length) {
      throw error("unexpected end of input");
    }
    return current = JsonToken.FIELD_NAME;
  }

  private JsonToken close(JsonToken token) {
    depth--;
    afterValue = true;
    expectName = false;
    return current = token;
  }

  private JsonToken value(byte c) throws IOException {
    afterValue = true;
    switch (c) {
      case '{' -> {
        pos++;
        push(true);
        return current = JsonToken.START_OBJECT;
      }
      case '[' -> {
        pos++;
        push(false);
        return current = JsonToken.START_ARRAY;
      }
      case '"' -> {
        text = string();
        return current = JsonToken.VALUE_STRING;
      }
      case 't' -> {
        return literal("true", JsonToken.VALUE_TRUE);
      }
      case 'f' -> {
        return literal("false", JsonToken.VALUE_FALSE);
      }
      case 'n' -> {
        return literal("null", JsonToken.VALUE_NULL);
      }
      case 'N' -> {
        return literal("NaN", JsonToken.VALUE_NUMBER_FLOAT);
      }
      case 'I' -> {
        return literal("Infinity", JsonToken.VALUE_NUMBER_FLOAT);
      }
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character '" + (char) (c & 0xff) + "'");
      }
    }
  }

  private void push(boolean object) {
    if (depth == objects.length) {
      objects = java.util.Arrays.copyOf(objects, depth * 2);
    }
    objects[depth++] = object;
    afterValue = false;
    expectName = object;
  }

  private JsonToken literal(String word, JsonToken token) throws IOException {
    int n = word.length();
    if (pos + n > in.length) {
      throw error("unexpected end of input");
    }
    for (int i = 0; i < n; i++) {
      if (in[pos + i] != word.charAt(i)) {
        throw error("unexpected character '" + (char) (in[pos] & 0xff) + "'");
      }
    }
    start = pos;
    pos += n;
    end = pos;
    return current = token;
  }

  private JsonToken number() throws IOException {
    start = pos;
    negative = in[pos] == '-';
    if (negative) {
      pos++;
      if (pos < in.length && in[pos] == 'I') {
        literal("Infinity", JsonToken.VALUE_NUMBER_FLOAT);
        start--;
        return current;
      }
    }
    // One pass: check the syntax and gather the decimal mantissa and exponent.
    long m = 0;
    int significant = 0;
    int exp10 = 0;
    int from = pos;
    while (pos < in.length) {
      int d = in[pos] - '0';
      if (d < 0 || d > 9) {
        break;
      }
      if (significant > 0 || d != 0) {
        m = m * 10 + d;
        significant++;
      }
      pos++;
    }
    int intDigits = pos - from;
    if (intDigits == 0) {
      throw error("expected a digit");
    }
    if (intDigits > 1 && in[from] == '0') {
      throw error("leading zeros are not allowed");
    }
    boolean integral = true;
    if (pos < in.length && in[pos] == '.') {
      pos++;
      integral = false;
      int fracFrom = pos;
      while (pos < in.length) {
        int d = in[pos] - '0';
        if (d < 0 || d > 9) {
          break;
        }
        if (significant > 0 || d != 0) {
          m = m * 10 + d;
          significant++;
        }
        exp10--;
        pos++;
      }
      if (pos == fracFrom) {
        throw error("expected a digit after '.'");
      }
    }
    if (pos < in.length && (in[pos] == 'e' || in[pos] == 'E')) {
      pos++;
      integral = false;
      boolean expNegative = false;
      if (pos < in.length && (in[pos] == '+' || in[pos] == '-')) {
        expNegative = in[pos] == '-';
        pos++;
      }
      int expFrom = pos;
      int e = 0;
      while (pos < in.length && in[pos] >= '0' && in[pos] <= '9') {
        if (e < 100_000) {
          e = e * 10 + (in[pos] - '0');
        }
        pos++;
      }
      if (pos == expFrom) {
        throw error("expected a digit in the exponent");
      }
      exp10 += expNegative ? -e : e;
    }
    end = pos;
    // Beyond 15 digits the mantissa may have overflowed or lost exactness: parse the text instead.
    exact = significant <= 15;
    mantissa = m;
    exponent = exp10;
    return current = integral ? JsonToken.VALUE_NUMBER_INT : JsonToken.VALUE_NUMBER_FLOAT;
  }

  /** The current number's value, rounded exactly as {@link Double#parseDouble} rounds it. */
  double getDoubleValue() {
    if (in[start] == 'N' || in[end - 1] == 'y') {
      return in[start] == 'N'
          ? Double.NaN
          : in[start] == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (mantissa == 0 && exact) {
      return negative ? -0.0 : 0.0;
    }
    if (!exact || exponent < -22 || exponent > 22) {
      return slow();
    }
    // Both operands are exact doubles, so one correctly rounded operation gives the exact result.
    double d = mantissa;
    d = exponent < 0 ? d / POW10[-exponent] : d * POW10[exponent];
    return negative ? -d : d;
  }

  private double slow() {
    return Double.parseDouble(new String(in, start, end - start, StandardCharsets.ISO_8859_1));
  }

  float getFloatValue() {
    return (float) getDoubleValue();
  }

  /** The current integer's value; throws when it does not fit a long. */
  long getLongValue() throws IOException {
    try {
      return Long.parseLong(getText());
    } catch (NumberFormatException e) {
      throw error("integer out of range: " + getText());
    }
  }

  /** The text of the current string, number, literal or field name. */
  String getText() {
    if (current == JsonToken.FIELD_NAME) {
      return name;
    }
    if (current == JsonToken.VALUE_STRING) {
      return text;
    }
    if (current == null) {
      return null;
    }
    return switch (current) {
      case START_OBJECT -> "{";
      case END_OBJECT -> "}";
      case START_ARRAY -> "[";
      case END_ARRAY -> "]";
      default -> new String(in, start, end - start, StandardCharsets.ISO_8859_1);
    };
  }

  /** On a start token, skips to its matching end token. */
  void skipChildren() throws IOException {
    if (current != JsonToken.START_OBJECT && current != JsonToken.START_ARRAY) {
      return;
    }
    int target = depth - 1;
    while (depth > target) {
      nextToken();
    }
  }

  /** Reads a string whose opening quote is at {@code pos}; leaves {@code pos} after the close. */
  private String string() throws IOException {
    int from = ++pos;
    while (pos < in.length) {
      byte c = in[pos];
      if (c == '"') {
        return new String(in, from, pos++ - from, StandardCharsets.UTF_8);
      }
      if (c == '\\') {
        return escaped(from);
      }
      if ((c & 0xff) < 0x20) {
        throw error("control character in a string");
      }
      pos++;
    }
    throw error("unterminated string");
  }

  private String escaped(int from) throws IOException {
    StringBuilder sb = new StringBuilder(new String(in, from, pos - from, StandardCharsets.UTF_8));
    int run = pos;
    while (pos < in.length) {
      byte c = in[pos];
      if (c == '"') {
        sb.append(new String(in, run, pos - run, StandardCharsets.UTF_8));
        pos++;
        return sb.toString();
      }
      if ((c & 0xff) < 0x20) {
        throw error("control character in a string");
      }
      if (c != '\\') {
        pos++;
        continue;
      }
      sb.append(new String(in, run, pos - run, StandardCharsets.UTF_8));
      if (pos + 1 >= in.length) {
        throw error("unterminated string");
      }
      byte e = in[pos + 1];
      pos += 2;
      switch (e) {
        case '"' -> sb.append('"');
        case '\\' -> sb.append('\\');
        case '/' -> sb.append('/');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (pos + 4 > in.length) {
            throw error("unterminated string");
          }
          int cp = 0;
          for (int i = 0; i < 4; i++) {
            int h = Character.digit(in[pos + i], 16);
            if (h < 0) {
              throw error("bad \\u escape");
            }
            cp = cp * 16 + h;
          }
          pos += 4;
          sb.append((char) cp);
        }
        default -> throw error("bad escape '\\" + (char) (e & 0xff) + "'");
      }
      run = pos;
    }
    throw error("unterminated string");
  }

  private void skipWhitespace() {
    while (pos < in.length) {
      byte c = in[pos];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      pos++;
    }
  }

  private SyntaxError error(String what) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < Math.min(pos, in.length); i++) {
      if (in[i] == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new SyntaxError(what, line, column);
  }

  @Override
  public void close() {}
}
