package dev.kiln.endpoint.router;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One endpoint's routes: its model versions, each with a traffic weight and the addresses ({@code
 * host:port}) of its ready replicas. Immutable; the controller replaces it whole.
 */
public record RouteTable(List<Version> versions) {

  /** A model version: {@code weight} is its share of requests relative to the others. */
  public record Version(String name, int weight, List<String> backends) {
    public Version {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("each version needs a \"name\"");
      }
      if (weight < 0) {
        throw new IllegalArgumentException("version " + name + ": weight must be >= 0");
      }
      backends = List.copyOf(backends);
      for (String b : backends) {
        if (!b.matches("[^:/\\s]+:\\d{1,5}")) {
          throw new IllegalArgumentException(
              "version " + name + ": backend '" + b + "' is not host:port");
        }
      }
    }

    /** Whether it can take requests: some weight and at least one replica. */
    boolean routable() {
      return weight > 0 && !backends.isEmpty();
    }
  }

  public RouteTable {
    versions = List.copyOf(versions);
    if (versions.stream().map(Version::name).distinct().count() != versions.size()) {
      throw new IllegalArgumentException("version names must be unique");
    }
  }

  /** Parses {@code {"versions": [{"name", "weight", "backends": ["host:port"]}]}}. */
  public static RouteTable fromJson(JsonObject json) {
    JsonArray array = json.getJsonArray("versions");
    if (array == null) {
      throw new IllegalArgumentException(
          "expected {\"versions\": [{\"name\": ..., \"weight\": ..., \"backends\": [...]}]}");
    }
    List<Version> versions = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      JsonObject v = array.getJsonObject(i);
      JsonArray backends = v.getJsonArray("backends", new JsonArray());
      List<String> list = new ArrayList<>();
      backends.forEach(b -> list.add(String.valueOf(b)));
      versions.add(new Version(v.getString("name"), v.getInteger("weight", 0), list));
    }
    return new RouteTable(versions);
  }

  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    for (Version v : versions) {
      array.add(
          new JsonObject()
              .put("name", v.name())
              .put("weight", v.weight())
              .put("backends", new JsonArray(new ArrayList<>(v.backends()))));
    }
    return new JsonObject().put("versions", array);
  }
}
