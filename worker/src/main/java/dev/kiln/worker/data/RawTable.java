package dev.kiln.worker.data;

import java.util.List;

/**
 * Features as read from a channel, before labels are encoded for a loss.
 *
 * @param x row-major features, {@code rows * featureNames.size()}
 * @param rows number of samples
 * @param featureNames one per feature column
 * @param labels the label column's text, one per row (CSV)
 * @param where where each row came from, for error messages ("s3://b/train.csv line 17")
 */
record RawTable(float[] x, int rows, List<String> featureNames, String[] labels, RowOrigins where) {

  int features() {
    return featureNames.size();
  }

  /** Where rows came from: per object, its first row and the line of each row. */
  record RowOrigins(List<String> objects, int[] objectStart, int[] line) {
    String describe(int row) {
      int o = 0;
      while (o + 1 < objectStart.length && objectStart[o + 1] <= row) {
        o++;
      }
      return objects.get(o) + " line " + line[row];
    }
  }
}
