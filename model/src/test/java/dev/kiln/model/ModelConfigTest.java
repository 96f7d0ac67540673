package dev.kiln.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelConfigTest {
  /** The algorithm of DESIGN.md's sample TrainingJob. */
  static final String SAMPLE =
      """
      {"model": {"layers": [
          {"dense": 128, "activation": "relu"},
          {"dropout": 0.1},
          {"dense": 10, "activation": "softmax"}]},
       "loss": "cross_entropy",
       "optimizer": {"type": "adam", "learningRate": 0.001, "momentum": 0.9,
                     "nesterov": false, "weightDecay": 0.0},
       "schedule": {"type": "cosine"},
       "epochs": 20, "batchSize": 64, "seed": 42, "deterministic": true}
      """;

  @Test
  void parsesTheDesignSample() {
    ModelConfig c = ModelConfig.parse(SAMPLE);
    assertThat(c.layers())
        .containsExactly(
            new LayerSpec.Dense(128, Activation.RELU),
            new LayerSpec.Dropout(0.1f),
            new LayerSpec.Dense(10, Activation.SOFTMAX));
    assertThat(c.loss()).isEqualTo(LossFunction.CROSS_ENTROPY);
    assertThat(c.optimizer().type()).isEqualTo(OptimizerConfig.Type.ADAM);
    assertThat(c.optimizer().learningRate()).isEqualTo(0.001f);
    assertThat(c.schedule().type()).isEqualTo(ScheduleConfig.Type.COSINE);
    assertThat(c.epochs()).isEqualTo(20);
    assertThat(c.batchSize()).isEqualTo(64);
    assertThat(c.seed()).isEqualTo(42);
    assertThat(c.deterministic()).isTrue();
    assertThat(c.outputWidth()).isEqualTo(10);
  }

  @Test
  void roundTripsThroughJson() {
    ModelConfig c = ModelConfig.parse(SAMPLE);
    assertThat(ModelConfig.fromJson(c.toJson())).isEqualTo(c);
  }

  @Test
  void appliesDottedHyperparametersGivenAsStrings() {
    ModelConfig c =
        ModelConfig.parse(SAMPLE)
            .withHyperparameters(
                Map.of(
                    "optimizer.learningRate", "0.003",
                    "model.layers.0.dense", "64",
                    "optimizer.type", "sgd",
                    "model.layers.1.dropout", "0.3",
                    "epochs", "5"));
    assertThat(c.optimizer().learningRate()).isEqualTo(0.003f);
    assertThat(c.optimizer().type()).isEqualTo(OptimizerConfig.Type.SGD);
    assertThat(c.layers().get(0)).isEqualTo(new LayerSpec.Dense(64, Activation.RELU));
    assertThat(c.layers().get(1)).isEqualTo(new LayerSpec.Dropout(0.3f));
    assertThat(c.epochs()).isEqualTo(5);
  }

  @Test
  void rejectsUnknownHyperparameters() {
    ModelConfig c = ModelConfig.parse(SAMPLE);
    assertThatThrownBy(() -> c.withHyperparameters(Map.of("optimizer.learningrate", "0.1")))
        .isInstanceOf(ModelConfigException.class)
        .hasMessageContaining("unknown hyperparameter 'optimizer.learningrate'");
    assertThatThrownBy(() -> c.withHyperparameters(Map.of("model.layers.7.dense", "3")))
        .hasMessageContaining("unknown hyperparameter");
    assertThatThrownBy(() -> c.withHyperparameters(Map.of("model.layers.1.dense", "3")))
        .as("a dropout layer has no units")
        .hasMessageContaining("unknown hyperparameter");
  }

  @Test
  void explainsWhatIsWrong() {
    assertThatThrownBy(() -> ModelConfig.parse("{\"model\": {\"layers\": []}}"))
        .hasMessageContaining("model.layers must list at least one dense layer");
    assertThatThrownBy(
            () ->
                ModelConfig.parse(
                    "{\"model\": {\"layers\": [{\"dense\": 3, \"activation\": \"gelu\"}]}}"))
        .hasMessageContaining("unknown activation 'gelu'");
    assertThatThrownBy(
            () ->
                ModelConfig.parse(
                    "{\"model\": {\"layers\": [{\"dense\": 3, \"activation\": \"relu\"}]},"
                        + " \"loss\": \"cross_entropy\"}"))
        .hasMessageContaining("cross_entropy needs a softmax output layer");
    assertThatThrownBy(
            () ->
                ModelConfig.parse(
                    "{\"model\": {\"layers\": [{\"dense\": 3, \"activation\": \"softmax\"},"
                        + " {\"dropout\": 0.5}]}}"))
        .hasMessageContaining("the last layer must be dense");
    assertThatThrownBy(
            () ->
                ModelConfig.parse(
                    "{\"model\": {\"layers\": [{\"dense\": 3, \"activation\": \"softmax\"}]},"
                        + " \"optimizer\": {\"type\": \"adam\", \"learningRate\": -1}}"))
        .hasMessageContaining("optimizer.learningRate must be a positive number");
    assertThatThrownBy(
            () ->
                ModelConfig.parse(
                    "{\"model\": {\"layers\": [{\"dense\": 3, \"activation\": \"softmax\"}]},"
                        + " \"batchsize\": 3}"))
        .hasMessageContaining("unknown field 'batchsize' in algorithm");
    assertThatThrownBy(
            () ->
                ModelConfig.parse(
                    "{\"model\": {\"layers\": [{\"dense\": 3, \"activation\": \"softmax\"}]},"
                        + " \"epochs\": \"many\"}"))
        .hasMessageContaining("epochs must be a number");
    assertThatThrownBy(
            () ->
                ModelConfig.parse("{\"model\": {\"layers\": [{\"dropout\": 1.5, \"dense\": 2}]}}"))
        .hasMessageContaining("exactly one of dense or dropout");
  }
}
