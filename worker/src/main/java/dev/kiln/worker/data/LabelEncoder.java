package dev.kiln.worker.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns label text (CSV) or label arrays (npy) into targets for a loss and an output layer.
 *
 * <p>Cross entropy: labels that are all integers are class ids and must lie in [0, C) for an output
 * layer of C units; otherwise labels are class names, numbered in sorted order, at most C of them.
 * Binary cross entropy: numbers in [0, 1], or at most two names (sorted: the first is 0). MSE:
 * finite numbers. The validation channel reuses the training channel's encoding.
 */
final class LabelEncoder {
  private final Targets loss;
  private final int outputs;

  LabelEncoder(Targets loss, int outputs) {
    this.loss = loss;
    this.outputs = outputs;
  }

  /** Targets for the labels of {@code t}; {@code fixed} is the training encoding, or null. */
  float[] encode(RawTable t, LabelEncoding fixed, LabelEncoding[] chosen) {
    if (loss != Targets.CLASSES && outputs != 1) {
      throw new DataException(
          "loss "
              + loss.lossName()
              + " with "
              + outputs
              + " outputs needs "
              + outputs
              + " targets per sample, but a CSV channel has one label column; use npy channels"
              + " with y of shape (rows, "
              + outputs
              + ")");
    }
    LabelEncoding enc = fixed != null ? fixed : choose(t);
    chosen[0] = enc;
    float[] y = new float[t.rows()];
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < enc.classNames().size(); i++) {
      index.put(enc.classNames().get(i), i);
    }
    for (int r = 0; r < t.rows(); r++) {
      String label = t.labels()[r];
      y[r] =
          switch (enc.kind()) {
            case CLASS_NAMES -> {
              Integer id = index.get(label);
              if (id == null) {
                throw new DataException(
                    t.where().describe(r)
                        + ": label '"
                        + label
                        + "' is not one of the training channel's classes "
                        + enc.classNames());
              }
              yield id;
            }
            case CLASS_IDS -> classId(label, t.where().describe(r));
            case VALUES -> value(label, t.where().describe(r));
          };
    }
    return y;
  }

  private LabelEncoding choose(RawTable t) {
    if (loss == Targets.VALUES) {
      return new LabelEncoding(LabelEncoding.Kind.VALUES, List.of());
    }
    boolean numeric = true;
    for (int r = 0; r < t.rows() && numeric; r++) {
      numeric = parses(t.labels()[r]);
    }
    if (numeric) {
      if (loss == Targets.BINARY) {
        return new LabelEncoding(LabelEncoding.Kind.VALUES, List.of("0", "1"));
      }
      return new LabelEncoding(LabelEncoding.Kind.CLASS_IDS, ids(outputs));
    }
    TreeSet<String> names = new TreeSet<>();
    for (int r = 0; r < t.rows(); r++) {
      names.add(t.labels()[r]);
    }
    int max = loss == Targets.BINARY ? 2 : outputs;
    if (names.size() > max) {
      throw new DataException(
          "the labels name "
              + names.size()
              + " classes "
              + preview(names)
              + " but the output layer"
              + (loss == Targets.BINARY
                  ? " of a binary_cross_entropy model tells 2 apart"
                  : " has " + outputs + " units"));
    }
    return new LabelEncoding(LabelEncoding.Kind.CLASS_NAMES, new ArrayList<>(names));
  }

  /** Targets from a y.npy array, checked against the loss and output layer. */
  float[] encode(NpyArray y, int rows, LabelEncoding[] chosen) {
    int width = loss.width(outputs);
    int[] s = y.shape();
    boolean ok =
        s.length >= 1
            && s[0] == rows
            && (s.length == 1 && width == 1 || s.length == 2 && s[1] == width);
    if (!ok) {
      throw new DataException(
          y.name()
              + " has shape "
              + java.util.Arrays.toString(s)
              + ", expected ("
              + rows
              + (width == 1 ? ",)" : ", " + width + ")")
              + " for loss "
              + loss.lossName()
              + " and "
              + outputs
              + " outputs");
    }
    float[] d = y.data();
    for (int i = 0; i < d.length; i++) {
      String where = y.name() + " element " + i;
      switch (loss) {
        case CLASSES -> classId(d[i], where);
        case BINARY -> inUnitInterval(d[i], where);
        default -> finite(d[i], where);
      }
    }
    chosen[0] =
        loss == Targets.CLASSES
            ? new LabelEncoding(LabelEncoding.Kind.CLASS_IDS, ids(outputs))
            : new LabelEncoding(LabelEncoding.Kind.VALUES, List.of());
    return d;
  }

  private float classId(String label, String where) {
    if (!parses(label)) {
      throw new DataException(
          where + ": label '" + label + "' is not a class id like the training channel's labels");
    }
    return classId(Float.parseFloat(label), where);
  }

  private float classId(float v, String where) {
    if (v != Math.rint(v)) {
      throw new DataException(where + ": label " + v + " is not a whole class id");
    }
    if (v < 0 || v >= outputs) {
      throw new DataException(
          where
              + ": label "
              + (long) v
              + " is out of range for an output layer of "
              + outputs
              + " classes (ids 0.."
              + (outputs - 1)
              + ")");
    }
    return v;
  }

  private float value(String label, String where) {
    if (!parses(label)) {
      throw new DataException(where + ": label '" + label + "' is not a number");
    }
    float v = Float.parseFloat(label);
    return loss == Targets.BINARY ? inUnitInterval(v, where) : finite(v, where);
  }

  private static float inUnitInterval(float v, String where) {
    if (!(v >= 0f && v <= 1f)) {
      throw new DataException(where + ": binary_cross_entropy labels must be in [0, 1], got " + v);
    }
    return v;
  }

  private static float finite(float v, String where) {
    if (!Float.isFinite(v)) {
      throw new DataException(where + ": label " + v + " is not allowed (must be finite)");
    }
    return v;
  }

  private static boolean parses(String s) {
    try {
      return Float.isFinite(Float.parseFloat(s));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static List<String> ids(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(String.valueOf(i));
    }
    return ids;
  }

  private static String preview(TreeSet<String> names) {
    List<String> l = new ArrayList<>(names);
    return l.size() <= 12 ? l.toString() : l.subList(0, 12) + "...";
  }
}
