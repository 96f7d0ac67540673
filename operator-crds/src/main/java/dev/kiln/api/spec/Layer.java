package dev.kiln.api.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** One layer of the built-in sequential model: a dense layer or a dropout layer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.dense) != has(self.dropout)",
    message = "a layer is either {dense: UNITS, activation: A} or {dropout: RATE}")
@ValidationRule(
    value = "!has(self.activation) || has(self.dense)",
    message = "activation belongs to a dense layer")
public class Layer {
  /** Output units of a dense layer. */
  @Min(1)
  @Max(65536)
  public Integer dense;

  public Activation activation;

  /** Fraction of inputs dropped while training. */
  @Min(0)
  @Max(value = 1, inclusive = false)
  public Double dropout;

  public Layer() {}

  public static Layer dense(int units, Activation activation) {
    Layer layer = new Layer();
    layer.dense = units;
    layer.activation = activation;
    return layer;
  }

  public static Layer dropout(double rate) {
    Layer layer = new Layer();
    layer.dropout = rate;
    return layer;
  }

  @JsonIgnore
  public boolean denseLayer() {
    return dense != null;
  }

  /** The activation of a dense layer; linear when unset. */
  @JsonIgnore
  public Activation activationOrLinear() {
    return activation == null ? Activation.LINEAR : activation;
  }

  /** Activation functions of dense layers. */
  public enum Activation {
    @JsonProperty("relu")
    RELU,
    @JsonProperty("tanh")
    TANH,
    @JsonProperty("sigmoid")
    SIGMOID,
    @JsonProperty("softmax")
    SOFTMAX,
    @JsonProperty("linear")
    LINEAR
  }
}
