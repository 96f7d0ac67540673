package dev.kiln.worker.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads CSV with a header row: every column but the label is a numeric feature. The label column is
 * named by {@code label}, or is the last column. Several objects (a prefix) are concatenated in key
 * order and must share the header. Quoted fields ({@code "a,b"}, {@code ""} for a quote) are
 * understood; blank lines are skipped.
 */
final class CsvReader {
  private final String labelColumn;
  private List<String> header;
  private int labelIndex;
  private float[] x = new float[1 << 12];
  private String[] labels = new String[256];
  private int[] lines = new int[256];
  private int rows;
  private final List<String> objects = new ArrayList<>();
  private final List<Integer> objectStarts = new ArrayList<>();

  /** A reader for the given label column name, or null for the last column. */
  CsvReader(String labelColumn) {
    this.labelColumn = labelColumn == null || labelColumn.isBlank() ? null : labelColumn.trim();
  }

  /** Appends the rows of one object. */
  void read(String object, InputStream in) throws IOException {
    BufferedReader r =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    objects.add(object);
    objectStarts.add(rows);
    String line = r.readLine();
    int lineNo = 1;
    while (line != null && line.isBlank()) {
      line = r.readLine();
      lineNo++;
    }
    if (line == null) {
      throw new DataException(object + " is empty: expected a header row");
    }
    header(object, parse(stripBom(line), object, lineNo));
    int width = header.size();
    String[] fields = new String[width];
    while ((line = r.readLine()) != null) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      List<String> f = parse(line, object, lineNo);
      if (f.size() != width) {
        throw new DataException(
            object
                + " line "
                + lineNo
                + ": "
                + f.size()
                + " fields, but the header has "
                + width
                + " columns");
      }
      f.toArray(fields);
      addRow(object, lineNo, fields);
    }
  }

  private void header(String object, List<String> names) {
    List<String> trimmed = names.stream().map(String::trim).toList();
    if (trimmed.size() < 2) {
      throw new DataException(
          object
              + " line 1: the header names "
              + trimmed.size()
              + " column; need at least one feature and a label");
    }
    if (header == null) {
      header = trimmed;
      labelIndex = labelColumn == null ? trimmed.size() - 1 : trimmed.indexOf(labelColumn);
      if (labelIndex < 0) {
        throw new DataException(
            object + ": label column '" + labelColumn + "' is not in the header " + trimmed);
      }
    } else if (!header.equals(trimmed)) {
      throw new DataException(
          object + ": header " + trimmed + " differs from the first object's " + header);
    }
  }

  private void addRow(String object, int lineNo, String[] fields) {
    int f = header.size() - 1;
    if ((long) (rows + 1) * f > Integer.MAX_VALUE - 8) {
      throw new DataException(object + ": too many values for one channel (over 2^31)");
    }
    if ((rows + 1) * f > x.length) {
      x = Arrays.copyOf(x, Math.max((rows + 1) * f, x.length * 2));
    }
    if (rows == labels.length) {
      labels = Arrays.copyOf(labels, rows * 2);
      lines = Arrays.copyOf(lines, rows * 2);
    }
    int o = rows * f;
    for (int c = 0; c < fields.length; c++) {
      if (c == labelIndex) {
        continue;
      }
      x[o++] = number(fields[c], object, lineNo, header.get(c));
    }
    labels[rows] = fields[labelIndex].trim();
    lines[rows] = lineNo;
    rows++;
  }

  static float number(String text, String object, int lineNo, String column) {
    String t = text.trim();
    float v;
    try {
      v = Float.parseFloat(t);
    } catch (NumberFormatException e) {
      throw new DataException(
          object + " line " + lineNo + ", column '" + column + "': '" + t + "' is not a number");
    }
    if (!Float.isFinite(v)) {
      throw new DataException(
          object
              + " line "
              + lineNo
              + ", column '"
              + column
              + "': "
              + t
              + " is not allowed (values must be finite)");
    }
    return v;
  }

  /** Everything read so far. */
  RawTable table() {
    List<String> features = new ArrayList<>(header == null ? List.of() : header);
    if (header != null) {
      features.remove(labelIndex);
    }
    int[] starts = objectStarts.stream().mapToInt(Integer::intValue).toArray();
    return new RawTable(
        Arrays.copyOf(x, rows * features.size()),
        rows,
        List.copyOf(features),
        Arrays.copyOf(labels, rows),
        new RawTable.RowOrigins(List.copyOf(objects), starts, Arrays.copyOf(lines, rows)));
  }

  /** The label column's name (after reading a header). */
  String labelName() {
    return header.get(labelIndex);
  }

  private static String stripBom(String s) {
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }

  /** Splits one line into fields, honouring double quotes. */
  static List<String> parse(String line, String object, int lineNo) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    int n = line.length();
    for (int i = 0; i < n; i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"') {
          if (i + 1 < n && line.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cur.append(ch);
        }
      } else if (ch == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else if (ch == '"' && cur.toString().isBlank()) {
        quoted = true;
      } else if (ch != '\r' || i != n - 1) {
        cur.append(ch);
      }
    }
    if (quoted) {
      throw new DataException(object + " line " + lineNo + ": unterminated quoted field");
    }
    out.add(cur.toString());
    return out;
  }
}
