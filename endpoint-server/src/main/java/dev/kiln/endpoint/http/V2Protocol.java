package dev.kiln.endpoint.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.kiln.endpoint.runner.ModelSignature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Open Inference Protocol v2 (KServe) request parsing and response writing, JSON only. */
final class V2Protocol {

  private static final Set<String> FLOATS = Set.of("FP16", "FP32", "FP64");
  private static final Set<String> INTS =
      Set.of("INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64");

  private V2Protocol() {}

  /** A parsed infer request. */
  record InferRequest(String id, Rows rows) {}

  static String example(ModelSignature sig) {
    return "{\"inputs\": [{\"name\": \""
        + sig.inputName()
        + "\", \"shape\": "
        + sig.describeInputShape()
        + ", \"datatype\": \"FP32\", \"data\": [...]}]}";
  }

  static InferRequest parseInfer(byte[] body, ModelSignature sig) {
    if (body.length == 0) {
      throw new BadRequest("empty request body; expected " + example(sig));
    }
    try (JsonTokens p = new JsonTokens(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new BadRequest(
            "expected a JSON object like "
                + example(sig)
                + ", got "
                + Json.describe(p.currentToken(), p));
      }
      String id = null;
      Rows rows = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "id" -> {
            if (value != JsonToken.VALUE_STRING) {
              throw new BadRequest("\"id\" must be a string, got " + Json.describe(value, p));
            }
            id = p.getText();
          }
          case "inputs" -> rows = parseInputs(p, sig);
          case "outputs" -> checkRequestedOutputs(p, sig);
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw new BadRequest("unexpected content after the JSON object; expected " + example(sig));
      }
      if (rows == null) {
        throw new BadRequest("missing \"inputs\"; expected " + example(sig));
      }
      return new InferRequest(id, rows);
    } catch (IOException e) {
      throw Json.malformed(e, example(sig));
    }
  }

  private static Rows parseInputs(JsonTokens p, ModelSignature sig) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new BadRequest(
          "\"inputs\" must be an array, got "
              + Json.describe(p.currentToken(), p)
              + "; expected "
              + example(sig));
    }
    Rows rows = null;
    int count = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      count++;
      Rows r = parseTensor(p, sig);
      if (count > 1) {
        throw new BadRequest(
            "the model takes one input '"
                + sig.inputName()
                + "', got "
                + count
                + " or more inputs");
      }
      rows = r;
    }
    if (rows == null) {
      throw new BadRequest("\"inputs\" is empty; expected " + example(sig));
    }
    return rows;
  }

  private static Rows parseTensor(JsonTokens p, ModelSignature sig) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new BadRequest(
          "each input must be an object, got "
              + Json.describe(p.currentToken(), p)
              + "; expected "
              + example(sig));
    }
    String name = null;
    String datatype = null;
    long[] shape = null;
    FloatList data = null;
    boolean integral = true;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "name" -> {
          if (value != JsonToken.VALUE_STRING) {
            throw new BadRequest("input \"name\" must be a string, got " + Json.describe(value, p));
          }
          name = p.getText();
        }
        case "datatype" -> {
          if (value != JsonToken.VALUE_STRING) {
            throw new BadRequest(
                "input \"datatype\" must be a string, got " + Json.describe(value, p));
          }
          datatype = p.getText().toUpperCase(Locale.ROOT);
        }
        case "shape" -> shape = parseShape(p);
        case "data" -> {
          data = new FloatList(sig.inputWidth());
          integral = parseData(p, data);
        }
        default -> p.skipChildren();
      }
    }
    if (name == null) {
      throw new BadRequest("input without \"name\"; expected " + example(sig));
    }
    if (!name.equals(sig.inputName())) {
      throw new BadRequest(
          "unknown input '" + name + "'; the model's input is '" + sig.inputName() + "'");
    }
    if (datatype == null) {
      throw new BadRequest("input '" + name + "' without \"datatype\"; expected " + example(sig));
    }
    boolean isInt = INTS.contains(datatype);
    if (!isInt && !FLOATS.contains(datatype)) {
      throw new BadRequest(
          "unsupported datatype '"
              + datatype
              + "' for input '"
              + name
              + "'; expected FP32 (or FP16, FP64, INT8..INT64, UINT8..UINT64)");
    }
    if (shape == null) {
      throw new BadRequest(
          "input '" + name + "' without \"shape\"; expected " + sig.describeInputShape());
    }
    int[] dims = sig.inputShape();
    boolean shapeOk = shape.length == dims.length + 1 && shape[0] >= 1;
    for (int i = 0; shapeOk && i < dims.length; i++) {
      shapeOk = shape[i + 1] == dims[i];
    }
    if (!shapeOk) {
      throw new BadRequest(
          "expected "
              + sig.inputDatatype()
              + " input of shape "
              + sig.describeInputShape()
              + ", got "
              + Arrays.toString(shape));
    }
    if (data == null) {
      throw new BadRequest("input '" + name + "' without \"data\"");
    }
    long expected = shape[0] * (long) sig.inputWidth();
    if (data.size() != expected) {
      throw new BadRequest(
          "input '"
              + name
              + "' of shape "
              + Arrays.toString(shape)
              + " needs "
              + expected
              + " values, got "
              + data.size());
    }
    if (isInt && !integral) {
      throw new BadRequest(
          "input '" + name + "' is declared " + datatype + " but holds non-integer values");
    }
    return new Rows(data.toArray(), (int) shape[0]);
  }

  private static long[] parseShape(JsonTokens p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new BadRequest(
          "input \"shape\" must be an array of integers, got "
              + Json.describe(p.currentToken(), p));
    }
    List<Long> dims = new ArrayList<>(2);
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
        throw new BadRequest(
            "input \"shape\" must be an array of integers, found "
                + Json.describe(p.currentToken(), p));
      }
      dims.add(p.getLongValue());
    }
    return dims.stream().mapToLong(Long::longValue).toArray();
  }

  /** Flattens nested or flat {@code data}; returns whether every value was an integer. */
  private static boolean parseData(JsonTokens p, FloatList out) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new BadRequest(
          "input \"data\" must be an array of numbers, got " + Json.describe(p.currentToken(), p));
    }
    boolean integral = true;
    int depth = 1;
    while (depth > 0) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_ARRAY) {
        depth++;
      } else if (t == JsonToken.END_ARRAY) {
        depth--;
      } else {
        integral &= t == JsonToken.VALUE_NUMBER_INT;
        out.add(Json.finiteFloat(p, "input \"data\"", -1, out.size()));
      }
    }
    return integral;
  }

  private static void checkRequestedOutputs(JsonTokens p, ModelSignature sig) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new BadRequest(
          "\"outputs\" must be an array of {\"name\": ...}, got "
              + Json.describe(p.currentToken(), p));
    }
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw new BadRequest(
            "\"outputs\" must be an array of {\"name\": ...}, found "
                + Json.describe(p.currentToken(), p));
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("name") && value == JsonToken.VALUE_STRING) {
          if (!p.getText().equals(sig.outputName())) {
            throw new BadRequest(
                "unknown output '"
                    + p.getText()
                    + "'; the model's output is '"
                    + sig.outputName()
                    + "'");
          }
        } else {
          p.skipChildren();
        }
      }
    }
  }

  /** The infer response: one FP32 output tensor of shape {@code [rows, ...]}. */
  static byte[] writeInfer(String modelName, String id, ModelSignature sig, float[] out, int rows) {
    ByteArrayBuilder bytes = new ByteArrayBuilder(64 + out.length * 12);
    try (JsonGenerator g = Json.generator(bytes)) {
      g.writeStartObject();
      g.writeStringField("model_name", modelName);
      if (id != null) {
        g.writeStringField("id", id);
      }
      g.writeArrayFieldStart("outputs");
      g.writeStartObject();
      g.writeStringField("name", sig.outputName());
      g.writeStringField("datatype", "FP32");
      g.writeArrayFieldStart("shape");
      g.writeNumber(rows);
      int[] outShape = sig.outputShape();
      int width = rows == 0 ? 0 : out.length / rows;
      if (known(outShape) && product(outShape) == width) {
        for (int d : outShape) {
          g.writeNumber(d);
        }
      } else {
        g.writeNumber(width);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("data");
      for (float v : out) {
        g.writeNumber(v);
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** {@code GET /v2/models/{name}}. */
  static byte[] writeMetadata(String modelName, ModelSignature sig) {
    ByteArrayBuilder bytes = new ByteArrayBuilder(256);
    try (JsonGenerator g = Json.generator(bytes)) {
      g.writeStartObject();
      g.writeStringField("name", modelName);
      g.writeArrayFieldStart("versions");
      g.writeEndArray();
      g.writeStringField("platform", sig.platform());
      g.writeArrayFieldStart("inputs");
      writeTensorMetadata(g, sig.inputName(), sig.inputDatatype(), sig.inputShape());
      g.writeEndArray();
      g.writeArrayFieldStart("outputs");
      writeTensorMetadata(g, sig.outputName(), "FP32", sig.outputShape());
      g.writeEndArray();
      if (!sig.labels().isEmpty()) {
        g.writeObjectFieldStart("parameters");
        g.writeArrayFieldStart("labels");
        for (String label : sig.labels()) {
          g.writeString(label);
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void writeTensorMetadata(JsonGenerator g, String name, String type, int[] dims)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("name", name);
    g.writeStringField("datatype", type);
    g.writeArrayFieldStart("shape");
    g.writeNumber(-1);
    for (int d : dims) {
      g.writeNumber(d);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static boolean known(int[] dims) {
    for (int d : dims) {
      if (d <= 0) {
        return false;
      }
    }
    return dims.length > 0;
  }

  private static long product(int[] dims) {
    long p = 1;
    for (int d : dims) {
      p *= d;
    }
    return p;
  }
}
