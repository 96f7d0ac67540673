package dev.kiln.tuner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {

  private static Map<String, Object> entry(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void buildsTheDesignDocExampleFromPlainMaps() {
    SearchSpace space =
        SearchSpace.fromMaps(
            List.of(
                entry(
                    "name",
                    "optimizer.learningRate",
                    "type",
                    "double",
                    "min",
                    0.0001,
                    "max",
                    0.1,
                    "scale",
                    "log"),
                entry("name", "model.layers.0.dense", "type", "int", "min", 32, "max", 256),
                entry(
                    "name",
                    "optimizer.type",
                    "type",
                    "categorical",
                    "values",
                    List.of("sgd", "adam"))));

    assertThat(space.size()).isEqualTo(3);
    assertThat(space.get(0))
        .isEqualTo(Parameter.ofDouble("optimizer.learningRate", 1e-4, 0.1, Scale.LOG));
    assertThat(space.get(1))
        .isEqualTo(Parameter.ofInt("model.layers.0.dense", 32, 256, Scale.LINEAR));
    assertThat(space.get(2).values()).containsExactly("sgd", "adam");
    assertThat(space.get(0).toMap()).containsEntry("scale", "log").containsEntry("type", "double");
    assertThat(Parameter.fromMap(space.get(1).toMap())).isEqualTo(space.get(1));
  }

  @Test
  void acceptsNumbersWrittenAsStrings() {
    Parameter p =
        Parameter.fromMap(entry("name", "lr", "type", "double", "min", "0.001", "max", "1"));
    assertThat(p.min()).isEqualTo(0.001);
  }

  @Test
  void rejectsMinNotBelowMax() {
    assertThatThrownBy(
            () -> Parameter.fromMap(entry("name", "lr", "type", "double", "min", 0.1, "max", 0.01)))
        .hasMessage("parameter 'lr': min (0.1) must be less than max (0.01)");
  }

  @Test
  void rejectsLogScaleWithoutPositiveMin() {
    assertThatThrownBy(() -> Parameter.ofDouble("lr", 0, 1, Scale.LOG))
        .hasMessage("parameter 'lr': log scale needs min > 0, got min 0.0");
    assertThatThrownBy(() -> Parameter.ofInt("units", -4, 16, Scale.LOG))
        .hasMessageContaining("log scale needs min > 0");
  }

  @Test
  void rejectsCategoricalWithoutValues() {
    assertThatThrownBy(() -> Parameter.fromMap(entry("name", "opt", "type", "categorical")))
        .hasMessage("parameter 'opt': categorical needs at least one entry in values");
    assertThatThrownBy(() -> Parameter.ofCategorical("opt", List.of("a", "a")))
        .hasMessageContaining("values must be distinct");
  }

  @Test
  void rejectsMisplacedFieldsAndUnknownTypes() {
    assertThatThrownBy(
            () ->
                Parameter.fromMap(
                    entry("name", "opt", "type", "categorical", "values", List.of("a"), "min", 1)))
        .hasMessageContaining("takes values, not min, max or scale");
    assertThatThrownBy(
            () ->
                Parameter.fromMap(
                    entry(
                        "name", "x", "type", "double", "min", 0, "max", 1, "values", List.of("a"))))
        .hasMessageContaining("takes min and max, not values");
    assertThatThrownBy(() -> Parameter.fromMap(entry("name", "x", "type", "float")))
        .hasMessage("parameter 'x': type must be one of double, int, categorical, got 'float'");
    assertThatThrownBy(() -> Parameter.fromMap(entry("name", "x", "min", 0, "max", 1)))
        .hasMessageContaining("type is required");
    assertThatThrownBy(
            () ->
                Parameter.fromMap(
                    entry("name", "x", "type", "double", "min", 0, "max", 1, "step", 2)))
        .hasMessageContaining("unknown field 'step'");
    assertThatThrownBy(() -> Parameter.fromMap(entry("name", "x", "type", "double", "max", 1)))
        .hasMessage("parameter 'x': min and max are required");
    assertThatThrownBy(
            () ->
                Parameter.fromMap(
                    entry("name", "x", "type", "double", "min", 0, "max", 1, "scale", "ln")))
        .hasMessage("parameter 'x': scale must be 'linear' or 'log', got 'ln'");
    assertThatThrownBy(() -> Parameter.ofInt("n", 0, 10, Scale.LINEAR).toUnit("ten"))
        .hasMessageContaining("'ten' is not a number");
    assertThatThrownBy(() -> Parameter.fromMap(entry("type", "double", "min", 0, "max", 1)))
        .hasMessage("every parameter needs a name");
  }

  @Test
  void rejectsFractionalIntBounds() {
    assertThatThrownBy(
            () -> Parameter.fromMap(entry("name", "n", "type", "int", "min", 1.5, "max", 4)))
        .hasMessageContaining("int bounds must be whole numbers");
  }

  @Test
  void rejectsDuplicateAndMissingParameters() {
    Parameter a = Parameter.ofDouble("a", 0, 1, Scale.LINEAR);
    assertThatThrownBy(() -> SearchSpace.of(a, a)).hasMessage("parameter 'a' is defined twice");
    assertThatThrownBy(() -> SearchSpace.of(List.of()))
        .hasMessage("a search space needs at least one parameter");
    assertThatThrownBy(() -> SearchSpace.of(a).toUnit(Map.of("b", 1.0)))
        .hasMessageContaining("has no value for 'a'");
    assertThatThrownBy(() -> Parameter.ofCategorical("c", List.of("x", "y")).toUnit("z"))
        .hasMessage("parameter 'c': value 'z' is not one of [x, y]");
  }

  @Test
  void logScaleMapsTheGeometricMiddleToTheCentre() {
    Parameter lr = Parameter.ofDouble("lr", 1e-4, 1e-2, Scale.LOG);
    assertThat((Double) lr.fromUnit(0.5)).isCloseTo(1e-3, within(1e-12));
    assertThat(lr.toUnit(1e-3)).isCloseTo(0.5, within(1e-12));
    assertThat(lr.fromUnit(0.0)).isEqualTo(1e-4);
    assertThat(lr.fromUnit(1.0)).isEqualTo(1e-2);
  }

  @Test
  void intsGetEqualShareOfTheUnitInterval() {
    Parameter n = Parameter.ofInt("n", 1, 4, Scale.LINEAR);
    Map<Long, Integer> counts = new HashMap<>();
    for (int i = 0; i < 400; i++) {
      counts.merge((Long) n.fromUnit((i + 0.5) / 400), 1, Integer::sum);
    }
    assertThat(counts).containsEntry(1L, 100).containsEntry(2L, 100).containsEntry(4L, 100);
    for (long v = 1; v <= 4; v++) {
      assertThat(n.fromUnit(n.toUnit(v))).isEqualTo(v);
      double[] bin = n.unitBin(v);
      assertThat(bin[1] - bin[0]).isCloseTo(0.25, within(1e-12));
    }
  }

  @Test
  void logIntsRoundTripEveryValue() {
    Parameter units = Parameter.ofInt("units", 8, 512, Scale.LOG);
    for (long v = 8; v <= 512; v++) {
      assertThat(units.fromUnit(units.toUnit(v))).isEqualTo(v);
      double[] bin = units.unitBin(v);
      assertThat(units.fromUnit((bin[0] + bin[1]) / 2)).isEqualTo(v);
    }
    assertThat(units.fromUnit(0.0)).isEqualTo(8L);
    assertThat(units.fromUnit(1.0)).isEqualTo(512L);
  }

  @Test
  void pointsRoundTripThroughUnitCoordinatesAndStrings() {
    SearchSpace space =
        SearchSpace.of(
            Parameter.ofDouble("lr", 1e-5, 1, Scale.LOG),
            Parameter.ofInt("units", 16, 256, Scale.LINEAR),
            Parameter.ofCategorical("opt", List.of("sgd", "adam")));
    Map<String, Object> p = space.fromUnit(new double[] {0.3, 0.7, 0.9});
    assertThat(p.get("opt")).isEqualTo("adam");
    assertThat(space.fromUnit(space.toUnit(p))).isEqualTo(p);
    Map<String, String> strings = new Suggestion(p).asStrings();
    assertThat(space.canonical(strings)).isEqualTo(p);
  }
}
