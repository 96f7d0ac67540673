package dev.kiln.endpoint.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.kiln.endpoint.runner.ModelSignature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * SageMaker-style {@code POST /invocations}: JSON rows ({@code {"instances": [[...], ...]}}, a bare
 * {@code [[...], ...]} or one row {@code [...]}) or {@code text/csv} rows without a header; answers
 * predictions (label and probabilities for a classifier) as JSON or CSV.
 */
final class SageMakerProtocol {

  private SageMakerProtocol() {}

  static String jsonExample(ModelSignature sig) {
    return "{\"instances\": [[" + sig.inputWidth() + " numbers], ...]}";
  }

  static Rows parseJson(byte[] body, ModelSignature sig) {
    if (body.length == 0) {
      throw new BadRequest("empty request body; expected " + jsonExample(sig));
    }
    try (JsonTokens p = new JsonTokens(body)) {
      JsonToken first = p.nextToken();
      Rows rows;
      if (first == JsonToken.START_OBJECT) {
        rows = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          p.nextToken();
          if (field.equals("instances")) {
            if (p.currentToken() != JsonToken.START_ARRAY) {
              throw new BadRequest(
                  "\"instances\" must be an array of rows, got "
                      + Json.describe(p.currentToken(), p)
                      + "; expected "
                      + jsonExample(sig));
            }
            rows = parseRows(p, sig);
          } else {
            p.skipChildren();
          }
        }
        if (rows == null) {
          throw new BadRequest("missing \"instances\"; expected " + jsonExample(sig));
        }
      } else if (first == JsonToken.START_ARRAY) {
        rows = parseRows(p, sig);
      } else {
        throw new BadRequest(
            "expected " + jsonExample(sig) + " or [[...], ...], got " + Json.describe(first, p));
      }
      if (p.nextToken() != null) {
        throw new BadRequest(
            "unexpected content after the JSON value; expected " + jsonExample(sig));
      }
      return rows;
    } catch (IOException e) {
      throw Json.malformed(e, jsonExample(sig));
    }
  }

  /** The array at the parser: rows (arrays, possibly nested) or, if it holds numbers, one row. */
  private static Rows parseRows(JsonTokens p, ModelSignature sig) throws IOException {
    int width = sig.inputWidth();
    FloatList values = new FloatList(width);
    JsonToken t = p.nextToken();
    if (t == JsonToken.END_ARRAY) {
      throw new BadRequest("no rows; expected " + jsonExample(sig));
    }
    if (t != JsonToken.START_ARRAY) {
      // A flat array of numbers is a single row.
      readRow(p, values, 0, sig);
      return new Rows(values.toArray(), 1);
    }
    int row = 0;
    while (t != JsonToken.END_ARRAY) {
      if (t != JsonToken.START_ARRAY) {
        throw new BadRequest(
            "row "
                + row
                + " is "
                + Json.describe(t, p)
                + "; expected an array of "
                + width
                + " numbers");
      }
      p.nextToken();
      readRow(p, values, row, sig);
      row++;
      t = p.nextToken();
    }
    return new Rows(values.toArray(), row);
  }

  /** Reads one row whose first token is current; consumes its closing bracket. */
  private static void readRow(JsonTokens p, FloatList values, int row, ModelSignature sig)
      throws IOException {
    int start = values.size();
    int depth = 1;
    JsonToken t = p.currentToken();
    while (true) {
      if (t == JsonToken.START_ARRAY) {
        depth++;
      } else if (t == JsonToken.END_ARRAY) {
        if (--depth == 0) {
          break;
        }
      } else {
        values.add(Json.finiteFloat(p, "row", row, values.size() - start));
      }
      t = p.nextToken();
    }
    int got = values.size() - start;
    if (got != sig.inputWidth()) {
      throw new BadRequest(
          "row "
              + row
              + " has "
              + got
              + " values; expected "
              + sig.inputWidth()
              + " (input shape "
              + sig.describeInputShape()
              + ")");
    }
  }

  static Rows parseCsv(byte[] body, ModelSignature sig) {
    int width = sig.inputWidth();
    if (body.length == 0) {
      throw new BadRequest("empty request body; expected CSV rows of " + width + " numbers");
    }
    char[] text = new String(body, StandardCharsets.UTF_8).toCharArray();
    FloatList values = new FloatList(width);
    int rows = 0;
    int line = 0;
    int pos = 0;
    while (pos < text.length) {
      int end = pos;
      while (end < text.length && text[end] != '\n') {
        end++;
      }
      line++;
      int stop = end > pos && text[end - 1] == '\r' ? end - 1 : end;
      if (!blank(text, pos, stop)) {
        parseCsvLine(text, pos, stop, line, values, width);
        rows++;
      }
      pos = end + 1;
    }
    if (rows == 0) {
      throw new BadRequest("no CSV rows; expected lines of " + width + " comma-separated numbers");
    }
    return new Rows(values.toArray(), rows);
  }

  private static boolean blank(char[] text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Character.isWhitespace(text[i])) {
        return false;
      }
    }
    return true;
  }

  private static void parseCsvLine(
      char[] text, int from, int to, int line, FloatList values, int width) {
    int column = 0;
    int pos = from;
    while (pos <= to) {
      int end = pos;
      while (end < to && text[end] != ',') {
        end++;
      }
      int a = pos;
      int b = end;
      while (a < b && Character.isWhitespace(text[a])) {
        a++;
      }
      while (b > a && Character.isWhitespace(text[b - 1])) {
        b--;
      }
      column++;
      if (column > width) {
        throw new BadRequest(
            "CSV line " + line + " has more than " + width + " values; expected " + width);
      }
      float v;
      try {
        v = Float.parseFloat(new String(text, a, b - a));
      } catch (NumberFormatException e) {
        String cell = new String(text, a, b - a);
        throw new BadRequest(
            "CSV line "
                + line
                + ", column "
                + column
                + ": '"
                + Json.abbreviate(cell)
                + "' is not a number; expected "
                + width
                + " comma-separated numbers per line, no header");
      }
      if (Float.isNaN(v) || Float.isInfinite(v)) {
        throw new BadRequest(
            "CSV line "
                + line
                + ", column "
                + column
                + ": "
                + new String(text, a, b - a)
                + "; expected finite numbers within FP32 range");
      }
      values.add(v);
      pos = end + 1;
    }
    if (column != width) {
      throw new BadRequest("CSV line " + line + " has " + column + " values; expected " + width);
    }
  }

  static byte[] writeJson(ModelSignature sig, float[] out, int rows) {
    int width = out.length / rows;
    ByteArrayBuilder bytes = new ByteArrayBuilder(32 + out.length * 14);
    try (JsonGenerator g = Json.generator(bytes)) {
      g.writeStartObject();
      g.writeArrayFieldStart("predictions");
      for (int r = 0; r < rows; r++) {
        int off = r * width;
        if (sig.classifier()) {
          int best = argmax(out, off, width);
          g.writeStartObject();
          g.writeStringField("label", sig.label(best));
          g.writeNumberField("label_index", best);
          g.writeArrayFieldStart("probabilities");
          writeFloats(g, out, off, width);
          g.writeEndArray();
          g.writeEndObject();
        } else {
          g.writeStartArray();
          writeFloats(g, out, off, width);
          g.writeEndArray();
        }
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** One line per row: {@code label,p0,p1,...} for a classifier, else the outputs. */
  static byte[] writeCsv(ModelSignature sig, float[] out, int rows) {
    int width = out.length / rows;
    StringBuilder sb = new StringBuilder(out.length * 12);
    for (int r = 0; r < rows; r++) {
      int off = r * width;
      if (sig.classifier()) {
        sb.append(csvCell(sig.label(argmax(out, off, width)))).append(',');
      }
      for (int i = 0; i < width; i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(out[off + i]);
      }
      sb.append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String csvCell(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n")
        ? "\"" + s.replace("\"", "\"\"") + "\""
        : s;
  }

  private static void writeFloats(JsonGenerator g, float[] v, int off, int len) throws IOException {
    for (int i = 0; i < len; i++) {
      g.writeNumber(v[off + i]);
    }
  }

  static int argmax(float[] v, int off, int len) {
    int best = 0;
    for (int i = 1; i < len; i++) {
      if (v[off + i] > v[off + best]) {
        best = i;
      }
    }
    return best;
  }
}
