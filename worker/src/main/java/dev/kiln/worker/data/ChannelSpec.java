package dev.kiln.worker.data;

import java.util.Locale;

/**
 * One entry of {@code spec.inputs}: {@code {uri, format, label}}.
 *
 * @param name the channel's name ({@code train}, {@code validation})
 * @param uri an object or a prefix ({@code s3://bucket/digits/}), or a {@code file:} path
 * @param format {@code csv} or {@code npy}; when null, from the URI's extension, else csv
 * @param label the CSV label column; null means the last column
 */
public record ChannelSpec(String name, String uri, String format, String label) {

  public ChannelSpec {
    if (uri == null || uri.isBlank()) {
      throw new DataException("inputs." + name + ".uri must be set");
    }
    String f = format == null || format.isBlank() ? inferFormat(uri) : format.trim();
    format = f.toLowerCase(Locale.ROOT);
    if (!format.equals("csv") && !format.equals("npy")) {
      throw new DataException(
          "inputs." + name + ".format '" + f + "' is not supported: expected csv or npy");
    }
  }

  private static String inferFormat(String uri) {
    return uri.toLowerCase(Locale.ROOT).endsWith(".npy") ? "npy" : "csv";
  }
}
