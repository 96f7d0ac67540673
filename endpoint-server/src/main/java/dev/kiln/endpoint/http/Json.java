package dev.kiln.endpoint.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON helpers for the hot path: responses through Jackson's streaming generator, messages. */
final class Json {

  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

  private Json() {}

  /**
   * A generator over a growable byte array; read it with {@link ByteArrayBuilder#toByteArray()}.
   */
  static JsonGenerator generator(ByteArrayBuilder out) {
    try {
      return FACTORY.createGenerator(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A syntax error as a client-facing message, with where it happened. */
  static BadRequest malformed(IOException e, String expected) {
    if (e instanceof JsonTokens.SyntaxError s) {
      return new BadRequest(
          "malformed JSON at line "
              + s.line
              + ", column "
              + s.column
              + ": "
              + s.what
              + "; expected "
              + expected);
    }
    return new BadRequest("malformed JSON: " + e.getMessage() + "; expected " + expected);
  }

  /**
   * Reads a number token as FP32, refusing NaN, infinities and values beyond FP32's range.
   *
   * @param what names the array in messages, followed by {@code row} unless it is negative (the
   *     message is only built on failure: this runs once per value)
   */
  static float finiteFloat(JsonTokens p, String what, int row, int index) {
    JsonToken t = p.currentToken();
    if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
      throw new BadRequest(
          name(what, row)
              + " holds "
              + describe(t, p)
              + " at index "
              + index
              + "; expected numbers");
    }
    float f = p.getFloatValue();
    if (Float.isNaN(f) || Float.isInfinite(f)) {
      throw new BadRequest(
          name(what, row)
              + " holds "
              + p.getText()
              + " at index "
              + index
              + "; expected finite numbers within FP32 range");
    }
    return f;
  }

  private static String name(String what, int row) {
    return row < 0 ? what : what + " " + row;
  }

  static String describe(JsonToken t, JsonTokens p) {
    if (t == null) {
      return "nothing";
    }
    return switch (t) {
      case VALUE_STRING -> "a string \"" + abbreviate(p.getText()) + "\"";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number (" + p.getText() + ")";
      default -> t.name();
    };
  }

  static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
