package dev.kiln.endpoint.runner;

import java.util.Arrays;
import java.util.List;

/**
 * What a loaded model takes and returns: one input of shape {@code [N, inputShape...]} and one
 * output of shape {@code [N, outputShape...]}, both FP32 on the wire.
 *
 * @param name the model's own name (the artifact's, or the file's); the server may override it
 * @param platform {@code kiln} or {@code onnxruntime}
 * @param inputDatatype the model's native input type in v2 terms (FP32, FP64, ...)
 * @param inputShape the input's shape without the batch dimension, every entry fixed
 * @param outputShape the output's shape without the batch dimension; -1 where the model does not
 *     say
 * @param labels class names by output index; empty when the model has none
 * @param classifier whether the output is a probability per class
 */
public record ModelSignature(
    String name,
    String platform,
    String inputName,
    String inputDatatype,
    int[] inputShape,
    String outputName,
    int[] outputShape,
    List<String> labels,
    boolean classifier) {

  public ModelSignature {
    inputShape = inputShape.clone();
    outputShape = outputShape.clone();
    labels = List.copyOf(labels);
    for (int d : inputShape) {
      if (d <= 0) {
        throw new IllegalArgumentException(
            "input '"
                + inputName
                + "' needs fixed dimensions after the batch dimension, got "
                + Arrays.toString(inputShape));
      }
    }
  }

  /** Values per input row: the product of the input dimensions. */
  public int inputWidth() {
    int w = 1;
    for (int d : inputShape) {
      w *= d;
    }
    return w;
  }

  @Override
  public int[] inputShape() {
    return inputShape.clone();
  }

  @Override
  public int[] outputShape() {
    return outputShape.clone();
  }

  /** The input shape as a v2 client would write it, e.g. {@code [N, 64]}. */
  public String describeInputShape() {
    StringBuilder sb = new StringBuilder("[N");
    for (int d : inputShape) {
      sb.append(", ").append(d);
    }
    return sb.append(']').toString();
  }

  /** The label of output index {@code i}: its name when the model has names, else the index. */
  public String label(int i) {
    return i < labels.size() ? labels.get(i) : Integer.toString(i);
  }

  /** The same signature served under another name. */
  public ModelSignature withName(String newName) {
    return new ModelSignature(
        newName,
        platform,
        inputName,
        inputDatatype,
        inputShape,
        outputName,
        outputShape,
        labels,
        classifier);
  }
}
