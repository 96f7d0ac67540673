package dev.kiln.worker.data;

import java.util.List;

/**
 * How a channel's label text became training targets, so the validation channel is read the same
 * way and the model can name its classes.
 *
 * @param kind how labels are read
 * @param classNames class names by index (for classification), else empty
 */
public record LabelEncoding(Kind kind, List<String> classNames) {

  /** The ways labels are read. */
  public enum Kind {
    /** Integer class ids 0..C-1 (cross entropy). */
    CLASS_IDS,
    /** Class names, mapped to ids in sorted order (cross entropy, binary cross entropy). */
    CLASS_NAMES,
    /** Numbers used as they are (mse; 0/1 or probabilities for binary cross entropy). */
    VALUES
  }

  public LabelEncoding {
    classNames = List.copyOf(classNames);
  }
}
