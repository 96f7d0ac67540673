package dev.kiln.endpoint.http;

import java.util.Arrays;

/** A growable float array, so parsing does not box every value. */
final class FloatList {

  private float[] values;
  private int size;

  FloatList(int capacity) {
    values = new float[Math.max(1, capacity)];
  }

  void add(float v) {
    if (size == values.length) {
      values = Arrays.copyOf(values, values.length * 2);
    }
    values[size++] = v;
  }

  int size() {
    return size;
  }

  /** The values, exactly {@link #size()} of them (no copy when the first guess was right). */
  float[] toArray() {
    return values.length == size ? values : Arrays.copyOf(values, size);
  }
}
