package dev.kiln.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads and writes Kiln manifests (YAML or JSON) strictly: an unknown field, a wrong enum value or
 * an unknown kind is an error that names the field and says what was expected.
 */
public final class Manifests {
  private static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.of(
          TrainingJob.KIND, TrainingJob.class,
          TuningJob.KIND, TuningJob.class,
          InferenceEndpoint.KIND, InferenceEndpoint.class,
          Queue.KIND, Queue.class);

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
  private static final ObjectMapper YAML =
      new ObjectMapper(
              new YAMLFactory()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Manifests() {}

  /** The kinds Kiln serves, by name. */
  public static Map<String, Class<? extends HasMetadata>> kinds() {
    return KINDS;
  }

  /** Parses every document of a YAML (or JSON) text. */
  public static List<HasMetadata> parseAll(String text) {
    List<HasMetadata> resources = new ArrayList<>();
    try {
      var parser = YAML.getFactory().createParser(text);
      var docs = YAML.readValues(parser, JsonNode.class);
      while (docs.hasNextValue()) {
        JsonNode doc = docs.nextValue();
        if (doc != null && !doc.isNull() && !doc.isEmpty()) {
          resources.add(fromTree(doc));
        }
      }
    } catch (JsonProcessingException e) {
      throw new ManifestException("not valid YAML: " + e.getOriginalMessage(), e);
    } catch (java.io.IOException e) {
      throw new ManifestException("cannot read manifest: " + e.getMessage(), e);
    }
    return resources;
  }

  /** Parses exactly one resource. */
  public static HasMetadata parse(String text) {
    List<HasMetadata> all = parseAll(text);
    if (all.size() != 1) {
      throw new ManifestException("expected one resource, found " + all.size());
    }
    return all.get(0);
  }

  public static <T extends HasMetadata> T parse(String text, Class<T> type) {
    HasMetadata resource = parse(text);
    if (!type.isInstance(resource)) {
      throw new ManifestException(
          "expected kind " + type.getSimpleName() + ", found " + resource.getKind());
    }
    return type.cast(resource);
  }

  /** Converts a JSON tree to its Kiln kind, strictly. */
  public static HasMetadata fromTree(JsonNode doc) {
    String apiVersion = doc.path("apiVersion").asText("");
    String kind = doc.path("kind").asText("");
    if (!Kiln.API_VERSION.equals(apiVersion)) {
      throw new ManifestException(
          "apiVersion must be " + Kiln.API_VERSION + ", found '" + apiVersion + "'");
    }
    Class<? extends HasMetadata> type = KINDS.get(kind);
    if (type == null) {
      throw new ManifestException(
          "kind '" + kind + "' is not a Kiln kind; expected one of " + KINDS.keySet());
    }
    try {
      return JSON.treeToValue(doc, type);
    } catch (JsonProcessingException e) {
      throw new ManifestException(kind + ": " + describe(e), e);
    }
  }

  public static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String toYaml(Object value) {
    try {
      return YAML.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static <T> T fromJson(String json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new ManifestException(describe(e), e);
    }
  }

  /** A deep copy through JSON. */
  @SuppressWarnings("unchecked")
  public static <T> T copy(T value) {
    return (T) fromJson(toJson(value), value.getClass());
  }

  /** The strict JSON mapper Kiln uses for its kinds. */
  public static ObjectMapper json() {
    return JSON;
  }

  private static String describe(JsonProcessingException e) {
    String path = path(e);
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown field '"
          + path
          + "'; known fields here: "
          + u.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
    }
    if (e instanceof InvalidFormatException f && f.getTargetType() != null) {
      Class<?> target = f.getTargetType();
      if (target.isEnum()) {
        String allowed =
            Arrays.stream(target.getEnumConstants())
                .map(c -> Manifests.toJson(c).replace("\"", ""))
                .collect(Collectors.joining(", "));
        return path + ": '" + f.getValue() + "' is not one of [" + allowed + "]";
      }
      return path + ": '" + f.getValue() + "' is not a valid " + target.getSimpleName();
    }
    return (path.isEmpty() ? "" : path + ": ") + e.getOriginalMessage();
  }

  private static String path(JsonProcessingException e) {
    if (!(e instanceof JsonMappingException m)) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : m.getPath()) {
      if (ref.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  /** A manifest that cannot be read; the message says what is wrong. */
  public static class ManifestException extends IllegalArgumentException {
    public ManifestException(String message) {
      super(message);
    }

    public ManifestException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
