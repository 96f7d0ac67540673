package dev.kiln.endpoint.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a flat JSON object line from a child process into text values. */
final class JsonLine {

  private JsonLine() {}

  static Map<String, String> parse(String line) {
    Map<String, String> values = new LinkedHashMap<>();
    try (JsonParser p = new JsonFactory().createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object: " + line);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        values.put(name, t == JsonToken.VALUE_NULL ? null : p.getText());
        p.skipChildren();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return values;
  }
}
