package dev.kiln.model;

/** One entry of {@code algorithm.model.layers}: a dense layer or a dropout. */
public sealed interface LayerSpec permits LayerSpec.Dense, LayerSpec.Dropout {

  /** {@code {dense: units, activation: a}}: a fully connected layer. */
  record Dense(int units, Activation activation) implements LayerSpec {
    /** Checks the unit count. */
    public Dense {
      if (units < 1) {
        throw new ModelConfigException("dense units must be at least 1, got " + units);
      }
      if (activation == null) {
        throw new ModelConfigException("dense activation must be set");
      }
    }
  }

  /** {@code {dropout: rate}}: zeroes each value with probability {@code rate} while training. */
  record Dropout(float rate) implements LayerSpec {
    /** Checks the rate. */
    public Dropout {
      if (!(rate >= 0f && rate < 1f)) {
        throw new ModelConfigException("dropout rate must be in [0, 1), got " + rate);
      }
    }
  }
}
