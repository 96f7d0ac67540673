package dev.kiln.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each tensor lives in a network's single parameter array: for every dense layer (by its
 * index in {@code model.layers}) its weight, row-major {@code [in, out]}, then its bias {@code
 * [out]}, layer after layer with no gaps. Gradients use the same layout.
 */
public final class ParameterLayout {

  /** One tensor: {@code layers.<layer>.weight} ({@code rows = in, cols = out}) or {@code .bias}. */
  public record Tensor(String name, int layer, boolean isWeight, int rows, int cols, int offset) {
    /** Number of floats. */
    public int length() {
      return rows * cols;
    }
  }

  private final List<Tensor> tensors;
  private final int size;
  private final int[] widths;

  /** The layout of {@code config}'s layers on inputs of width {@code inputWidth}. */
  public ParameterLayout(ModelConfig config, int inputWidth) {
    if (inputWidth < 1) {
      throw new ModelConfigException("input width must be at least 1, got " + inputWidth);
    }
    List<Tensor> list = new ArrayList<>();
    int offset = 0;
    int width = inputWidth;
    widths = new int[config.layers().size()];
    for (int l = 0; l < config.layers().size(); l++) {
      if (config.layers().get(l) instanceof LayerSpec.Dense d) {
        String prefix = "layers." + l + ".";
        list.add(new Tensor(prefix + "weight", l, true, width, d.units(), offset));
        offset = Math.addExact(offset, Math.multiplyExact(width, d.units()));
        list.add(new Tensor(prefix + "bias", l, false, 1, d.units(), offset));
        offset = Math.addExact(offset, d.units());
        width = d.units();
      }
      widths[l] = width;
    }
    this.tensors = List.copyOf(list);
    this.size = offset;
  }

  /** All tensors in storage order. */
  public List<Tensor> tensors() {
    return tensors;
  }

  /** Total floats. */
  public int size() {
    return size;
  }

  /** Output width of layer {@code l} (a dropout keeps its input's width). */
  public int width(int l) {
    return widths[l];
  }

  /** The weight tensor of dense layer {@code l}. */
  public Tensor weight(int l) {
    return find(l, true);
  }

  /** The bias tensor of dense layer {@code l}. */
  public Tensor bias(int l) {
    return find(l, false);
  }

  private Tensor find(int l, boolean weight) {
    for (Tensor t : tensors) {
      if (t.layer() == l && t.isWeight() == weight) {
        return t;
      }
    }
    throw new IllegalArgumentException("layer " + l + " is not a dense layer");
  }
}
