package dev.kiln.tuner.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TunerBenchTest {
  @Test
  void printsRegretAtEachCheckpointAndTheTimePerSuggestion() throws Exception {
    String line =
        TunerBench.run(
            TunerBench.parse(
                new String[] {
                  "--function", "branin", "--strategy", "bayesian", "--trials", "30", "--seeds", "2"
                }));
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.get("strategy").asText()).isEqualTo("bayesian");
    assertThat(json.get("function").asText()).isEqualTo("branin");
    assertThat(json.get("trials").asInt()).isEqualTo(30);
    assertThat(json.get("seeds").asInt()).isEqualTo(2);
    JsonNode regret = json.get("median_regret");
    assertThat(regret.fieldNames()).toIterable().containsExactly("10", "25", "30");
    assertThat(regret.get("30").asDouble()).isLessThanOrEqualTo(regret.get("10").asDouble());
    assertThat(regret.get("30").asDouble()).isBetween(0.0, 0.5);
    assertThat(json.get("ms_per_suggestion").asDouble()).isPositive();
  }

  @Test
  void rejectsInconsistentArguments() {
    assertThatThrownBy(() -> TunerBench.parse(new String[] {"--strategy", "tpe"}))
        .hasMessage("give exactly one of --function and --objective-cmd");
    assertThatThrownBy(() -> TunerBench.parse(new String[] {"--objective-cmd", "true"}))
        .hasMessage("--objective-cmd needs --space FILE");
    assertThatThrownBy(
            () -> TunerBench.parse(new String[] {"--function", "branin", "--bogus", "1"}))
        .hasMessage("unknown argument '--bogus'");
  }
}
