package dev.kiln.tuner.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kiln.tuner.SearchSpace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads a search space from YAML or JSON: a {@code parameters} list at the top, under {@code spec}
 * (a whole TuningJob), or the list itself.
 */
public final class SpaceFile {
  private SpaceFile() {}

  public static SearchSpace read(Path file) throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory()); // YAML also reads JSON
    JsonNode root = yaml.readTree(file.toFile());
    JsonNode list = root;
    if (root != null && root.isObject()) {
      list = root.has("spec") ? root.path("spec").path("parameters") : root.path("parameters");
    }
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException(
          file + ": expected a 'parameters' list (at the top, under 'spec', or as the document)");
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> entries = yaml.convertValue(list, List.class);
    return SearchSpace.fromMaps(entries);
  }
}
