package dev.kiln.endpoint.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.endpoint.runner.ModelSignature;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class V2ProtocolTest {

  private static final ModelSignature SIG =
      new ModelSignature(
          "digits",
          "kiln",
          "input",
          "FP32",
          new int[] {3},
          "probabilities",
          new int[] {2},
          List.of("a", "b"),
          true);

  private static V2Protocol.InferRequest parse(String json) {
    return V2Protocol.parseInfer(json.getBytes(StandardCharsets.UTF_8), SIG);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> refuses(String json) {
    return assertThatThrownBy(() -> parse(json)).isInstanceOf(BadRequest.class);
  }

  private static String tensor(String shape, String datatype, String data) {
    return "{\"inputs\":[{\"name\":\"input\",\"shape\":"
        + shape
        + ",\"datatype\":\""
        + datatype
        + "\",\"data\":"
        + data
        + "}]}";
  }

  @Test
  void parsesFlatData() {
    V2Protocol.InferRequest req = parse(tensor("[2,3]", "FP32", "[1,2,3,4,5,6.5]"));
    assertThat(req.rows().count()).isEqualTo(2);
    assertThat(req.rows().values()).containsExactly(1, 2, 3, 4, 5, 6.5f);
    assertThat(req.id()).isNull();
  }

  @Test
  void parsesNestedDataIdAndFieldsInAnyOrder() {
    V2Protocol.InferRequest req =
        parse(
            "{\"id\":\"r1\",\"parameters\":{\"x\":[1,{}]},\"inputs\":[{\"data\":[[1,2,3]],"
                + "\"datatype\":\"FP64\",\"shape\":[1,3],\"name\":\"input\",\"parameters\":{}}],"
                + "\"outputs\":[{\"name\":\"probabilities\"}]}");
    assertThat(req.id()).isEqualTo("r1");
    assertThat(req.rows().values()).containsExactly(1, 2, 3);
  }

  @Test
  void acceptsIntegerDatatypesWithIntegerValues() {
    assertThat(parse(tensor("[1,3]", "INT64", "[1,2,3]")).rows().values()).containsExactly(1, 2, 3);
    assertThat(parse(tensor("[1,3]", "uint8", "[1,2,3]")).rows().count()).isEqualTo(1);
  }

  @Test
  void refusesWrongShapeSayingWhatWasExpected() {
    refuses(tensor("[1,2]", "FP32", "[1,2]"))
        .hasMessage("expected FP32 input of shape [N, 3], got [1, 2]");
    refuses(tensor("[3]", "FP32", "[1,2,3]"))
        .hasMessage("expected FP32 input of shape [N, 3], got [3]");
    refuses(tensor("[0,3]", "FP32", "[]")).hasMessageContaining("shape [N, 3], got [0, 3]");
  }

  @Test
  void refusesDataThatDoesNotFillTheShape() {
    refuses(tensor("[2,3]", "FP32", "[1,2,3,4,5]"))
        .hasMessage("input 'input' of shape [2, 3] needs 6 values, got 5");
  }

  @Test
  void refusesUnsupportedDatatypes() {
    refuses(tensor("[1,3]", "BYTES", "[1,2,3]"))
        .hasMessageContaining("unsupported datatype 'BYTES'")
        .hasMessageContaining("expected FP32");
    refuses(tensor("[1,3]", "INT32", "[1,2.5,3]"))
        .hasMessageContaining("declared INT32 but holds non-integer values");
  }

  @Test
  void refusesNanInfinityAndNonNumbers() {
    refuses(tensor("[1,3]", "FP32", "[1,NaN,3]"))
        .hasMessageContaining("NaN at index 1")
        .hasMessageContaining("expected finite numbers");
    refuses(tensor("[1,3]", "FP32", "[1,2,1e39]")).hasMessageContaining("1e39 at index 2");
    refuses(tensor("[1,3]", "FP32", "[1,\"2\",3]"))
        .hasMessageContaining("a string \"2\" at index 1");
    refuses(tensor("[1,3]", "FP32", "[1,null,3]")).hasMessageContaining("null at index 1");
  }

  @Test
  void refusesMalformedJsonWithWhereAndWhat() {
    refuses("{\"inputs\": [")
        .hasMessageStartingWith("malformed JSON")
        .hasMessageContaining("expected {\"inputs\"");
    refuses("{\"inputs\": [}").hasMessageContaining("line 1, column");
    refuses("not json").hasMessageStartingWith("malformed JSON");
    refuses("[1,2,3]").hasMessageStartingWith("expected a JSON object like");
    refuses("{} {}").hasMessageContaining("unexpected content after");
  }

  @Test
  void refusesEmptyBodyAndMissingParts() {
    refuses("").hasMessageStartingWith("empty request body; expected {\"inputs\"");
    refuses("{}").hasMessageStartingWith("missing \"inputs\"");
    refuses("{\"inputs\":[]}").hasMessageStartingWith("\"inputs\" is empty");
    refuses("{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"data\":[1,2,3]}]}")
        .hasMessageContaining("without \"shape\"");
    refuses("{\"inputs\":[{\"name\":\"input\",\"shape\":[1,3],\"data\":[1,2,3]}]}")
        .hasMessageContaining("without \"datatype\"");
    refuses("{\"inputs\":[{\"name\":\"input\",\"shape\":[1,3],\"datatype\":\"FP32\"}]}")
        .hasMessageContaining("without \"data\"");
  }

  @Test
  void refusesUnknownInputOrOutputAndExtraInputs() {
    refuses(tensor("[1,3]", "FP32", "[1,2,3]").replace("\"input\"", "\"x\""))
        .hasMessage("unknown input 'x'; the model's input is 'input'");
    refuses(
            "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]}],"
                + "\"outputs\":[{\"name\":\"logits\"}]}")
        .hasMessage("unknown output 'logits'; the model's output is 'probabilities'");
    String one = "{\"name\":\"input\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]}";
    refuses("{\"inputs\":[" + one + "," + one + "]}").hasMessageContaining("takes one input");
  }

  @Test
  void writesOutputTensorWithShapeAndId() {
    String json =
        new String(
            V2Protocol.writeInfer("digits", "r1", SIG, new float[] {0.25f, 0.75f, 1f, 0f}, 2),
            StandardCharsets.UTF_8);
    assertThat(json)
        .isEqualTo(
            "{\"model_name\":\"digits\",\"id\":\"r1\",\"outputs\":[{\"name\":\"probabilities\","
                + "\"datatype\":\"FP32\",\"shape\":[2,2],\"data\":[0.25,0.75,1.0,0.0]}]}");
  }

  @Test
  void writesMetadataWithDynamicBatchAndLabels() {
    String json = new String(V2Protocol.writeMetadata("digits", SIG), StandardCharsets.UTF_8);
    assertThat(json)
        .isEqualTo(
            "{\"name\":\"digits\",\"versions\":[],\"platform\":\"kiln\",\"inputs\":[{\"name\":\"input\","
                + "\"datatype\":\"FP32\",\"shape\":[-1,3]}],\"outputs\":[{\"name\":\"probabilities\","
                + "\"datatype\":\"FP32\",\"shape\":[-1,2]}],\"parameters\":{\"labels\":[\"a\",\"b\"]}}");
  }
}
