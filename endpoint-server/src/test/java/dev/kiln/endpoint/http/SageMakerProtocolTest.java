package dev.kiln.endpoint.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.endpoint.runner.ModelSignature;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SageMakerProtocolTest {

  private static final ModelSignature SIG =
      new ModelSignature(
          "digits",
          "kiln",
          "input",
          "FP32",
          new int[] {3},
          "probabilities",
          new int[] {2},
          List.of("cat", "dog"),
          true);

  private static Rows json(String body) {
    return SageMakerProtocol.parseJson(body.getBytes(StandardCharsets.UTF_8), SIG);
  }

  private static Rows csv(String body) {
    return SageMakerProtocol.parseCsv(body.getBytes(StandardCharsets.UTF_8), SIG);
  }

  @Test
  void parsesInstancesBareRowsAndASingleRow() {
    assertThat(json("{\"instances\":[[1,2,3],[4,5,6]]}").count()).isEqualTo(2);
    Rows bare = json("[[1,2,3],[4,5,6]]");
    assertThat(bare.values()).containsExactly(1, 2, 3, 4, 5, 6);
    Rows one = json("[1,2,3]");
    assertThat(one.count()).isEqualTo(1);
    assertThat(one.values()).containsExactly(1, 2, 3);
  }

  @Test
  void refusesRowsOfTheWrongWidth() {
    assertThatThrownBy(() -> json("{\"instances\":[[1,2,3],[4,5]]}"))
        .isInstanceOf(BadRequest.class)
        .hasMessage("row 1 has 2 values; expected 3 (input shape [N, 3])");
    assertThatThrownBy(() -> json("[[1,2,3], 4]")).hasMessageContaining("row 1 is a number");
  }

  @Test
  void refusesBadJson() {
    assertThatThrownBy(() -> json("")).hasMessageStartingWith("empty request body");
    assertThatThrownBy(() -> json("{\"instances\":[[1,2,3]"))
        .hasMessageStartingWith("malformed JSON");
    assertThatThrownBy(() -> json("{\"rows\":[]}")).hasMessageStartingWith("missing \"instances\"");
    assertThatThrownBy(() -> json("[]")).hasMessageStartingWith("no rows");
    assertThatThrownBy(() -> json("[[1,NaN,3]]"))
        .hasMessageContaining("row 0 holds NaN at index 1");
    assertThatThrownBy(() -> json("\"x\"")).hasMessageContaining("got a string");
  }

  @Test
  void parsesCsvWithCrLfAndBlankLines() {
    Rows rows = csv("1,2,3\r\n 4 , 5 ,6\n\n");
    assertThat(rows.count()).isEqualTo(2);
    assertThat(rows.values()).containsExactly(1, 2, 3, 4, 5, 6);
  }

  @Test
  void refusesBadCsvNamingTheLineAndColumn() {
    assertThatThrownBy(() -> csv("a,b,c\n1,2,3"))
        .isInstanceOf(BadRequest.class)
        .hasMessage(
            "CSV line 1, column 1: 'a' is not a number; expected 3 comma-separated numbers per line, no header");
    assertThatThrownBy(() -> csv("1,2,3\n1,2")).hasMessage("CSV line 2 has 2 values; expected 3");
    assertThatThrownBy(() -> csv("1,2,3,4")).hasMessageContaining("more than 3 values");
    assertThatThrownBy(() -> csv("1,NaN,3")).hasMessageContaining("column 2: NaN; expected finite");
    assertThatThrownBy(() -> csv("1,,3")).hasMessageContaining("column 2: '' is not a number");
    assertThatThrownBy(() -> csv("\n\n")).hasMessageStartingWith("no CSV rows");
    assertThatThrownBy(() -> csv("")).hasMessageStartingWith("empty request body");
  }

  @Test
  void writesLabelAndProbabilitiesPerRow() {
    String out =
        new String(
            SageMakerProtocol.writeJson(SIG, new float[] {0.25f, 0.75f, 0.5f, 0.25f}, 2),
            StandardCharsets.UTF_8);
    assertThat(out)
        .isEqualTo(
            "{\"predictions\":[{\"label\":\"dog\",\"label_index\":1,\"probabilities\":[0.25,0.75]},"
                + "{\"label\":\"cat\",\"label_index\":0,\"probabilities\":[0.5,0.25]}]}");
    assertThat(
            new String(
                SageMakerProtocol.writeCsv(SIG, new float[] {0.25f, 0.75f}, 1),
                StandardCharsets.UTF_8))
        .isEqualTo("dog,0.25,0.75\n");
  }

  @Test
  void writesPlainOutputsForARegressionModel() {
    ModelSignature reg =
        new ModelSignature(
            "r",
            "onnxruntime",
            "x",
            "FP64",
            new int[] {3},
            "output",
            new int[] {2},
            List.of(),
            false);
    assertThat(
            new String(
                SageMakerProtocol.writeJson(reg, new float[] {1, 2, 3, 4}, 2),
                StandardCharsets.UTF_8))
        .isEqualTo("{\"predictions\":[[1.0,2.0],[3.0,4.0]]}");
  }
}
