package dev.kiln.api;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.api.spec.Algorithm;
import dev.kiln.api.spec.TrainingJobSpec;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Hyperparameters are dotted paths into a TrainingJob's {@code algorithm} ({@code
 * optimizer.learningRate}, {@code model.layers.0.dense}); this resolves and applies them.
 */
public final class Hyperparameters {
  private static final ObjectMapper MAPPER = Manifests.json();

  private Hyperparameters() {}

  /**
   * Why {@code path = value} cannot apply to {@code algorithm}, or empty when it can.
   *
   * @return a message such as "unknown field 'optimizer.learningrate': known fields of optimizer
   *     are [learningRate, momentum, ...]"
   */
  public static Optional<String> problem(Algorithm algorithm, String path, String value) {
    try {
      apply(MAPPER.valueToTree(algorithm), path, value);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * The spec with its hyperparameters applied to {@code algorithm}; the input is not changed.
   *
   * @throws IllegalArgumentException naming the first key that does not apply
   */
  public static TrainingJobSpec merge(TrainingJobSpec spec) {
    TrainingJobSpec merged = Manifests.copy(spec);
    if (merged.algorithm == null
        || merged.hyperparameters == null
        || merged.hyperparameters.isEmpty()) {
      return merged;
    }
    ObjectNode tree = MAPPER.valueToTree(merged.algorithm);
    for (Map.Entry<String, String> e : merged.hyperparameters.entrySet()) {
      apply(tree, e.getKey(), e.getValue());
    }
    try {
      merged.algorithm = MAPPER.treeToValue(tree, Algorithm.class);
    } catch (Exception e) {
      throw new IllegalArgumentException("hyperparameters give an invalid algorithm: " + e, e);
    }
    return merged;
  }

  private static void apply(JsonNode root, String path, String value) {
    String[] segments = path.split("\\.", -1);
    JsonNode node = root;
    JavaType type = MAPPER.constructType(Algorithm.class);
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      String where = String.join(".", Arrays.copyOf(segments, i + 1));
      boolean last = i == segments.length - 1;
      if (type.isCollectionLikeType()) {
        int index = index(segment, where);
        if (!(node instanceof ArrayNode array) || index >= array.size()) {
          int size = node instanceof ArrayNode a ? a.size() : 0;
          throw new IllegalArgumentException(
              "hyperparameter '"
                  + path
                  + "': index "
                  + index
                  + " out of range (size "
                  + size
                  + ")");
        }
        type = type.getContentType();
        if (last) {
          throw new IllegalArgumentException(
              "hyperparameter '" + path + "' names a whole list element; name one of its fields");
        }
        node = array.get(index);
        continue;
      }
      BeanPropertyDefinition property = property(type, segment, where, path);
      JavaType propertyType = property.getPrimaryType();
      if (last) {
        ((ObjectNode) node).set(segment, convert(propertyType, value, path));
        return;
      }
      JsonNode child = node.get(segment);
      if (child == null || child.isNull()) {
        if (propertyType.isCollectionLikeType()) {
          throw new IllegalArgumentException(
              "hyperparameter '" + path + "': '" + where + "' is empty");
        }
        child = ((ObjectNode) node).putObject(segment);
      }
      node = child;
      type = propertyType;
    }
  }

  private static BeanPropertyDefinition property(
      JavaType type, String segment, String where, String path) {
    BeanDescription bean = MAPPER.getDeserializationConfig().introspect(type);
    return bean.findProperties().stream()
        .filter(p -> p.getName().equals(segment) && p.hasField())
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "hyperparameter '"
                        + path
                        + "': unknown field '"
                        + where
                        + "'; known fields there: "
                        + bean.findProperties().stream()
                            .filter(BeanPropertyDefinition::hasField)
                            .map(BeanPropertyDefinition::getName)
                            .sorted()
                            .toList()));
  }

  private static int index(String segment, String where) {
    try {
      return Integer.parseInt(segment);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "hyperparameter path '" + where + "' needs a list index, found '" + segment + "'");
    }
  }

  private static JsonNode convert(JavaType type, String value, String path) {
    Class<?> raw = type.getRawClass();
    try {
      if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class) {
        double d = Double.parseDouble(value.trim());
        if (d != Math.rint(d)) {
          throw new NumberFormatException();
        }
        return MAPPER.getNodeFactory().numberNode((long) d);
      }
      if (raw == Double.class || raw == double.class || raw == Float.class) {
        double d = Double.parseDouble(value.trim());
        if (!Double.isFinite(d)) {
          throw new NumberFormatException();
        }
        return MAPPER.getNodeFactory().numberNode(d);
      }
      if (raw == Boolean.class || raw == boolean.class) {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
          throw new NumberFormatException();
        }
        return MAPPER.getNodeFactory().booleanNode(Boolean.parseBoolean(value));
      }
      if (raw.isEnum()) {
        JsonNode text = MAPPER.getNodeFactory().textNode(value);
        MAPPER.treeToValue(text, raw);
        return text;
      }
      if (raw == String.class) {
        return MAPPER.getNodeFactory().textNode(value);
      }
    } catch (NumberFormatException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(
          "hyperparameter '" + path + "': '" + value + "' is not a valid " + expected(raw));
    }
    throw new IllegalArgumentException(
        "hyperparameter '" + path + "' names an object; name one of its fields");
  }

  private static String expected(Class<?> raw) {
    if (raw.isEnum()) {
      return "value; expected one of "
          + Arrays.stream(raw.getEnumConstants())
              .map(c -> Manifests.toJson(c).replace("\"", ""))
              .toList();
    }
    if (raw == Integer.class || raw == Long.class) {
      return "integer";
    }
    if (raw == Double.class) {
      return "number";
    }
    return raw.getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }
}
