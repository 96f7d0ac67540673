package dev.kiln.worker.data;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Loads a whole channel into memory from an {@link ObjectStore}. Every rank loads the full channel:
 * the global permutation of {@link BatchSampler} decides which samples each rank trains on.
 */
public final class ChannelLoader {
  private final ObjectStore store;

  public ChannelLoader(ObjectStore store) {
    this.store = store;
  }

  /**
   * Loads {@code spec} with targets for {@code targets} and an output layer of {@code outputs}
   * units. {@code training} is the already loaded training channel when this is another channel
   * (its label encoding and feature count must be matched), else null.
   */
  public Dataset load(ChannelSpec spec, Targets loss, int outputs, Dataset training) {
    try {
      Dataset d =
          spec.format().equals("npy")
              ? npy(spec, loss, outputs)
              : csv(spec, loss, outputs, training == null ? null : training.encoding());
      if (d.rows() == 0) {
        throw new DataException("channel '" + spec.name() + "' (" + spec.uri() + ") has no rows");
      }
      if (training != null && d.features() != training.features()) {
        throw new DataException(
            "channel '"
                + spec.name()
                + "' has "
                + d.features()
                + " features per sample, but the"
                + " model's input (from channel '"
                + training.name()
                + "') is "
                + training.features()
                + " wide");
      }
      return d;
    } catch (FileNotFoundException e) {
      throw new DataException("channel '" + spec.name() + "': " + e.getMessage(), e);
    } catch (IOException e) {
      throw new DataException(
          "channel '" + spec.name() + "': reading failed: " + e.getMessage(), e);
    }
  }

  private Dataset csv(ChannelSpec spec, Targets loss, int outputs, LabelEncoding fixed)
      throws IOException {
    List<String> objects = objects(spec, ".csv");
    CsvReader reader = new CsvReader(spec.label());
    MessageDigest digest = sha256();
    for (String o : objects) {
      byte[] bytes = store.read(o);
      digest.update(bytes);
      reader.read(o, new ByteArrayInputStream(bytes));
    }
    RawTable t = reader.table();
    if (t.rows() == 0) {
      throw new DataException(
          "channel '" + spec.name() + "' (" + spec.uri() + ") has a header but no data rows");
    }
    LabelEncoding[] enc = new LabelEncoding[1];
    float[] y = new LabelEncoder(loss, outputs).encode(t, fixed, enc);
    return new Dataset(
        spec.name(),
        t.x(),
        t.rows(),
        t.features(),
        y,
        1,
        t.featureNames(),
        reader.labelName(),
        enc[0],
        HexFormat.of().formatHex(digest.digest()));
  }

  private Dataset npy(ChannelSpec spec, Targets loss, int outputs) throws IOException {
    String uri = spec.uri();
    String xUri;
    String yUri;
    if (uri.toLowerCase(Locale.ROOT).endsWith(".npy")) {
      xUri = uri;
      yUri = uri.substring(0, uri.lastIndexOf('/') + 1) + "y.npy";
    } else {
      xUri = ObjectStore.join(uri, "X.npy");
      yUri = ObjectStore.join(uri, "y.npy");
    }
    byte[] xb = store.read(xUri);
    byte[] yb = store.read(yUri);
    NpyArray x = NpyArray.parse(xUri, xb);
    NpyArray y = NpyArray.parse(yUri, yb);
    if (x.shape().length != 2) {
      throw new DataException(
          xUri
              + " has shape "
              + java.util.Arrays.toString(x.shape())
              + ", expected (rows, features)");
    }
    int rows = x.shape()[0];
    int features = x.shape()[1];
    float[] xs = x.data();
    for (int i = 0; i < xs.length; i++) {
      if (!Float.isFinite(xs[i])) {
        throw new DataException(
            xUri
                + " row "
                + i / features
                + ", column "
                + i % features
                + ": "
                + xs[i]
                + " is not allowed (values must be finite)");
      }
    }
    if (rows == 0) {
      throw new DataException("channel '" + spec.name() + "': " + xUri + " has no rows");
    }
    LabelEncoding[] enc = new LabelEncoding[1];
    float[] targets = new LabelEncoder(loss, outputs).encode(y, rows, enc);
    List<String> names = new ArrayList<>();
    for (int j = 0; j < features; j++) {
      names.add("f" + j);
    }
    MessageDigest digest = sha256();
    digest.update(xb);
    digest.update(yb);
    return new Dataset(
        spec.name(),
        xs,
        rows,
        features,
        targets,
        loss.width(outputs),
        names,
        "y",
        enc[0],
        HexFormat.of().formatHex(digest.digest()));
  }

  /** The objects of a channel: the URI itself if it is an object, else the objects under it. */
  private List<String> objects(ChannelSpec spec, String extension) throws IOException {
    String uri = spec.uri();
    if (!uri.endsWith("/") && store.exists(uri)) {
      return List.of(uri);
    }
    String prefix = uri.endsWith("/") ? uri : uri + "/";
    List<String> found = new ArrayList<>();
    for (String o : store.list(prefix)) {
      if (o.toLowerCase(Locale.ROOT).endsWith(extension)) {
        found.add(o);
      }
    }
    if (found.isEmpty()) {
      throw new DataException(
          "channel '" + spec.name() + "': no " + extension + " objects at " + uri);
    }
    return found;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
