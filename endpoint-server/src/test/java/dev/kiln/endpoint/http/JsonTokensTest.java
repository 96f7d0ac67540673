package dev.kiln.endpoint.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The tokenizer against Jackson, the reference, on generated and mutated documents. */
class JsonTokensTest {

  private static final JsonFactory JACKSON =
      JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  /** Tokens as "TYPE:text", numbers as their double bits; "ERROR" when the document is refused. */
  private static List<String> jackson(byte[] doc) {
    List<String> out = new ArrayList<>();
    try (JsonParser p = JACKSON.createParser(doc)) {
      JsonToken t;
      int depth = 0;
      boolean started = false;
      while ((t = p.nextToken()) != null) {
        if (started && depth == 0) {
          out.add("ERROR");
          return out;
        }
        started = true;
        if (t.isStructStart()) {
          depth++;
        } else if (t.isStructEnd()) {
          depth--;
        }
        out.add(describe(t, t.isNumeric() ? p.getDoubleValue() : 0, p.getText()));
      }
      if (!started) {
        out.add("ERROR");
      }
    } catch (IOException e) {
      out.add("ERROR");
    }
    return out;
  }

  private static List<String> ours(byte[] doc) {
    List<String> out = new ArrayList<>();
    try (JsonTokens p = new JsonTokens(doc)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        out.add(describe(t, t.isNumeric() ? p.getDoubleValue() : 0, p.getText()));
      }
    } catch (IOException e) {
      out.add("ERROR");
    }
    return out;
  }

  private static String describe(JsonToken t, double number, String text) {
    if (t.isNumeric()) {
      // Jackson reads "-0" as the integer 0; the sign of zero does not matter to a model.
      return "NUM:" + Double.doubleToRawLongBits(number == 0 ? 0.0 : number);
    }
    if (t == JsonToken.FIELD_NAME || t == JsonToken.VALUE_STRING) {
      return t.name() + ":" + text;
    }
    return t.name();
  }

  /** Both refuse the document, or both accept it with the same tokens and values. */
  private static void agree(String doc) {
    byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
    List<String> reference = jackson(bytes);
    List<String> tokens = ours(bytes);
    if (reference.contains("ERROR")) {
      assertThat(tokens).as("refused: " + doc).endsWith("ERROR");
    } else {
      assertThat(tokens).as(doc).isEqualTo(reference);
    }
  }

  @Test
  void agreesWithJacksonOnHandPickedDocuments() {
    for (String doc :
        new String[] {
          "{}",
          "[]",
          "1",
          "\"x\"",
          "true",
          "null",
          " {\"a\" : [1, 2.5, -3e-2, {\"b\": null}]} ",
          "{\"s\":\"tab\\tquote\\\"uni\\u00e9\\u20ac slash\\/ back\\\\\"}",
          "\"caf\u00e9 \u20ac\"",
          "[NaN, Infinity, -Infinity]",
          "[-0, 0.0, 1E+2, 1e-400, 1e400, 123456789012345678901234]",
          "[[[[]]]]",
          "{\"a\":{\"b\":{\"c\":[{}]}}}",
          // refused
          "",
          "   ",
          "{",
          "[1,]",
          "[,1]",
          "{\"a\":1,}",
          "{\"a\" 1}",
          "{\"a\":}",
          "{a:1}",
          "[01]",
          "[1.]",
          "[.5]",
          "[1e]",
          "[-]",
          "[tru]",
          "[nul]",
          "{} {}",
          "[1 2]",
          "\"unterminated",
          "[\"bad \\x\"]",
          "\"ctl \u0001\"",
          "{\"a\":1 \"b\":2}",
          "]",
          "[1}",
          "{\"a\":1]",
          "[\"\\u12\"]",
          "-Infinityx",
          "+1"
        }) {
      agree(doc);
    }
  }

  @Test
  void agreesWithJacksonOnRandomAndMutatedDocuments() {
    SplittableRandom r = new SplittableRandom(42);
    String alphabet = "{}[],:\"\\ 0123456789.eE+-abtrufnlsNI\n";
    for (int i = 0; i < 3000; i++) {
      String doc = randomValue(r, 0);
      agree(doc);
      StringBuilder mutated = new StringBuilder(doc);
      int edits = 1 + r.nextInt(3);
      for (int e = 0; e < edits && mutated.length() > 0; e++) {
        int at = r.nextInt(mutated.length());
        switch (r.nextInt(3)) {
          case 0 -> mutated.deleteCharAt(at);
          case 1 -> mutated.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
          default -> mutated.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
        }
      }
      agree(mutated.toString());
    }
  }

  private static String randomValue(SplittableRandom r, int depth) {
    int kind = depth > 3 ? r.nextInt(4) : r.nextInt(6);
    return switch (kind) {
      case 0 -> randomNumber(r);
      case 1 -> "\"" + randomString(r) + "\"";
      case 2 -> List.of("true", "false", "null").get(r.nextInt(3));
      case 3 -> randomNumber(r);
      case 4 -> {
        StringBuilder sb = new StringBuilder("[");
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
          sb.append(i > 0 ? ", " : "").append(randomValue(r, depth + 1));
        }
        yield sb.append(']').toString();
      }
      default -> {
        StringBuilder sb = new StringBuilder("{");
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          sb.append(i > 0 ? "," : "")
              .append('"')
              .append(randomString(r))
              .append("\":")
              .append(randomValue(r, depth + 1));
        }
        yield sb.append('}').toString();
      }
    };
  }

  private static String randomNumber(SplittableRandom r) {
    double v = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-30, 30));
    return switch (r.nextInt(5)) {
      case 0 -> Double.toString(v);
      case 1 -> Float.toString((float) v);
      case 2 -> String.format("%.4f", v);
      case 3 -> Long.toString(r.nextLong(-1_000_000_000_000L, 1_000_000_000_000L));
      default -> Integer.toString(r.nextInt(-100, 100));
    };
  }

  private static String randomString(SplittableRandom r) {
    String[] parts = {"a", "b", "name", "\\n", "\\\"", "\\u0041", "\u00e9", " ", "\\\\", "x1"};
    StringBuilder sb = new StringBuilder();
    int n = r.nextInt(4);
    for (int i = 0; i < n; i++) {
      sb.append(parts[r.nextInt(parts.length)]);
    }
    return sb.toString();
  }

  @Test
  void numbersConvertExactlyLikeDoubleParseDouble() throws IOException {
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 100_000; i++) {
      String s = randomNumber(r);
      try (JsonTokens p = new JsonTokens(s.getBytes(StandardCharsets.US_ASCII))) {
        p.nextToken();
        assertThat(Double.doubleToRawLongBits(p.getDoubleValue()))
            .as(s)
            .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(s)));
      }
    }
  }

  @Test
  void skipChildrenJumpsToTheMatchingEnd() throws IOException {
    JsonTokens p =
        new JsonTokens(
            "{\"skip\":{\"a\":[1,{\"b\":2}]},\"keep\":3}".getBytes(StandardCharsets.UTF_8));
    assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
    assertThat(p.nextToken()).isEqualTo(JsonToken.FIELD_NAME);
    assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
    p.skipChildren();
    assertThat(p.currentToken()).isEqualTo(JsonToken.END_OBJECT);
    assertThat(p.nextToken()).isEqualTo(JsonToken.FIELD_NAME);
    assertThat(p.currentName()).isEqualTo("keep");
    assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_NUMBER_INT);
    assertThat(p.getLongValue()).isEqualTo(3);
  }

  @Test
  void errorsSayWhereAndWhat() {
    assertThatThrownBy(() -> ours2("{\n  \"a\": [1,\n  2,]\n}"))
        .isInstanceOfSatisfying(
            JsonTokens.SyntaxError.class,
            e -> {
              assertThat(e.line).isEqualTo(3);
              assertThat(e.column).as("at the ']'").isEqualTo(5);
              assertThat(e.what).isEqualTo("expected a value after ','");
            });
  }

  private static void ours2(String doc) throws IOException {
    JsonTokens p = new JsonTokens(doc.getBytes(StandardCharsets.UTF_8));
    while (p.nextToken() != null) {
      // consume
    }
  }
}
