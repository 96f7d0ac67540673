package dev.kiln.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads and writes {@link ModelConfig} as the spec's {@code algorithm} JSON. */
final class ConfigJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private static final Set<String> TOP =
      Set.of(
          "model", "loss", "optimizer", "schedule", "epochs", "batchSize", "seed", "deterministic");
  private static final Set<String> OPTIMIZER =
      Set.of(
          "type",
          "learningRate",
          "momentum",
          "nesterov",
          "weightDecay",
          "beta1",
          "beta2",
          "epsilon");
  private static final Set<String> SCHEDULE =
      Set.of("type", "stepEpochs", "gamma", "minLearningRate");
  private static final Set<String> LAYER = Set.of("dense", "activation", "dropout");

  private ConfigJson() {}

  static JsonNode readTree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ModelConfigException("algorithm is not valid JSON: " + e.getOriginalMessage());
    }
  }

  static ModelConfig parse(JsonNode a) {
    object(a, "algorithm", TOP);
    JsonNode model = a.path("model");
    object(model, "model", Set.of("layers"));
    JsonNode layersNode = model.path("layers");
    if (!layersNode.isArray()) {
      throw new ModelConfigException("model.layers must be a list of layers");
    }
    List<LayerSpec> layers = new ArrayList<>();
    for (int i = 0; i < layersNode.size(); i++) {
      layers.add(layer(layersNode.get(i), "model.layers." + i));
    }
    JsonNode o = a.path("optimizer");
    object(o, "optimizer", OPTIMIZER);
    OptimizerConfig.Type type = OptimizerConfig.Type.parse(text(o, "type", "adam", "optimizer"));
    float defaultLr = type == OptimizerConfig.Type.SGD ? 0.01f : 0.001f;
    OptimizerConfig optimizer =
        new OptimizerConfig(
            type,
            (float) number(o, "learningRate", defaultLr, "optimizer"),
            (float) number(o, "momentum", 0, "optimizer"),
            bool(o, "nesterov", false, "optimizer"),
            (float) number(o, "weightDecay", 0, "optimizer"),
            (float) number(o, "beta1", 0.9, "optimizer"),
            (float) number(o, "beta2", 0.999, "optimizer"),
            (float) number(o, "epsilon", 1e-8, "optimizer"));
    JsonNode s = a.path("schedule");
    object(s, "schedule", SCHEDULE);
    ScheduleConfig schedule =
        new ScheduleConfig(
            ScheduleConfig.Type.parse(text(s, "type", "constant", "schedule")),
            integer(s, "stepEpochs", 10, "schedule"),
            (float) number(s, "gamma", 0.1, "schedule"),
            (float) number(s, "minLearningRate", 0, "schedule"));
    return new ModelConfig(
        layers,
        LossFunction.parse(text(a, "loss", "cross_entropy", null)),
        optimizer,
        schedule,
        integer(a, "epochs", 10, null),
        integer(a, "batchSize", 32, null),
        seed(a),
        bool(a, "deterministic", false, null));
  }

  private static LayerSpec layer(JsonNode l, String where) {
    object(l, where, LAYER);
    boolean dense = l.has("dense");
    boolean dropout = l.has("dropout");
    if (dense == dropout) {
      throw new ModelConfigException(where + " must have exactly one of dense or dropout");
    }
    if (dropout) {
      if (l.has("activation")) {
        throw new ModelConfigException(where + ": a dropout layer has no activation");
      }
      return new LayerSpec.Dropout((float) number(l, "dropout", 0, where));
    }
    return new LayerSpec.Dense(
        integer(l, "dense", 0, where), Activation.parse(text(l, "activation", "linear", where)));
  }

  static ObjectNode write(ModelConfig c) {
    ObjectNode a = MAPPER.createObjectNode();
    ArrayNode layers = a.putObject("model").putArray("layers");
    for (LayerSpec l : c.layers()) {
      if (l instanceof LayerSpec.Dense d) {
        layers.addObject().put("dense", d.units()).put("activation", d.activation().specName());
      } else {
        layers.addObject().put("dropout", ((LayerSpec.Dropout) l).rate());
      }
    }
    a.put("loss", c.loss().specName());
    OptimizerConfig o = c.optimizer();
    a.putObject("optimizer")
        .put("type", o.type().specName())
        .put("learningRate", o.learningRate())
        .put("momentum", o.momentum())
        .put("nesterov", o.nesterov())
        .put("weightDecay", o.weightDecay())
        .put("beta1", o.beta1())
        .put("beta2", o.beta2())
        .put("epsilon", o.epsilon());
    ScheduleConfig s = c.schedule();
    a.putObject("schedule")
        .put("type", s.type().specName())
        .put("stepEpochs", s.stepEpochs())
        .put("gamma", s.gamma())
        .put("minLearningRate", s.minLearningRate());
    a.put("epochs", c.epochs());
    a.put("batchSize", c.batchSize());
    a.put("seed", c.seed());
    a.put("deterministic", c.deterministic());
    return a;
  }

  /** Sets dotted paths; each must name a field the schema knows. */
  static void applyOverrides(ObjectNode root, Map<String, String> overrides) {
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      String[] path = e.getKey().split("\\.", -1);
      if (!known(path, root)) {
        throw new ModelConfigException(
            "unknown hyperparameter '" + e.getKey() + "': not a field of algorithm");
      }
      JsonNode parent = root;
      for (int i = 0; i < path.length - 1; i++) {
        JsonNode next =
            parent.isArray() ? parent.get(Integer.parseInt(path[i])) : parent.get(path[i]);
        if (next == null) {
          next = ((ObjectNode) parent).putObject(path[i]);
        }
        parent = next;
      }
      ((ObjectNode) parent).set(path[path.length - 1], scalar(e.getValue()));
    }
  }

  private static boolean known(String[] p, JsonNode root) {
    if (p.length == 1) {
      return Set.of("loss", "epochs", "batchSize", "seed", "deterministic").contains(p[0]);
    }
    if (p.length == 2 && p[0].equals("optimizer")) {
      return OPTIMIZER.contains(p[1]);
    }
    if (p.length == 2 && p[0].equals("schedule")) {
      return SCHEDULE.contains(p[1]);
    }
    if (p.length == 4 && p[0].equals("model") && p[1].equals("layers")) {
      if (!p[2].matches("\\d{1,6}") || !LAYER.contains(p[3])) {
        return false;
      }
      int index = Integer.parseInt(p[2]);
      JsonNode layer = root.path("model").path("layers").path(index);
      // The layer must exist and keep its kind: dropout fields on a dropout, dense ones on a dense.
      return layer.isObject() && (p[3].equals("dropout") == layer.has("dropout"));
    }
    return false;
  }

  private static JsonNode scalar(String v) {
    String t = v.trim();
    if (t.equals("true") || t.equals("false")) {
      return MAPPER.getNodeFactory().booleanNode(Boolean.parseBoolean(t));
    }
    try {
      if (t.matches("-?\\d{1,18}")) {
        return MAPPER.getNodeFactory().numberNode(Long.parseLong(t));
      }
      return MAPPER.getNodeFactory().numberNode(Double.parseDouble(t));
    } catch (NumberFormatException e) {
      return MAPPER.getNodeFactory().textNode(t);
    }
  }

  private static void object(JsonNode n, String where, Set<String> allowed) {
    if (n.isMissingNode()) {
      if (where.equals("model") || where.equals("algorithm")) {
        throw new ModelConfigException(where + " must be set");
      }
      return;
    }
    if (!n.isObject()) {
      throw new ModelConfigException(where + " must be an object");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new ModelConfigException(
            "unknown field '" + f + "' in " + where + " (allowed: " + sorted(allowed) + ")");
      }
    }
  }

  private static String sorted(Set<String> s) {
    return String.join(", ", new java.util.TreeSet<>(s));
  }

  private static String name(String where, String field) {
    return where == null ? field : where + "." + field;
  }

  private static String text(JsonNode n, String field, String dflt, String where) {
    JsonNode v = n.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return dflt;
    }
    if (!v.isTextual()) {
      throw new ModelConfigException(name(where, field) + " must be a string, got " + v);
    }
    return v.asText();
  }

  private static double number(JsonNode n, String field, double dflt, String where) {
    JsonNode v = n.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return dflt;
    }
    if (v.isNumber()) {
      return v.asDouble();
    }
    if (v.isTextual()) {
      try {
        return Double.parseDouble(v.asText().trim());
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new ModelConfigException(name(where, field) + " must be a number, got " + v);
  }

  private static long seed(JsonNode a) {
    JsonNode v = a.path("seed");
    if (v.isIntegralNumber()) {
      return v.asLong();
    }
    double d = number(a, "seed", 0, null);
    if (d != Math.rint(d)) {
      throw new ModelConfigException("seed must be a whole number, got " + d);
    }
    return (long) d;
  }

  private static int integer(JsonNode n, String field, int dflt, String where) {
    double d = number(n, field, dflt, where);
    if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
      throw new ModelConfigException(name(where, field) + " must be a whole number, got " + d);
    }
    return (int) d;
  }

  private static boolean bool(JsonNode n, String field, boolean dflt, String where) {
    JsonNode v = n.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return dflt;
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))) {
      return Boolean.parseBoolean(v.asText());
    }
    throw new ModelConfigException(name(where, field) + " must be true or false, got " + v);
  }
}
