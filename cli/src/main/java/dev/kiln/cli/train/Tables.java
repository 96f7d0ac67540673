package dev.kiln.cli.train;

import java.io.PrintWriter;
import java.util.List;

/** Plain text tables, columns padded to their widest cell, as kubectl prints them. */
public final class Tables {
  private Tables() {}

  public static void print(PrintWriter out, List<String[]> rows) {
    int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        b.append(row[i]);
        if (i < row.length - 1) {
          b.append(" ".repeat(width[i] - row[i].length() + 3));
        }
      }
      out.println(b);
    }
    out.flush();
  }
}
