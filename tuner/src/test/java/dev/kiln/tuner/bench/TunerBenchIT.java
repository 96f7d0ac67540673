package dev.kiln.tuner.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark with an objective command: a child process per trial. */
class TunerBenchIT {
  @Test
  void optimizesACommandOverASpaceFile(@TempDir Path dir) throws Exception {
    Path space = dir.resolve("space.yaml");
    Files.writeString(
        space,
        "parameters:\n"
            + "  - {name: x, type: double, min: 0, max: 1}\n"
            + "  - {name: opt, type: categorical, values: [sgd, adam]}\n");
    // (x - 0.3)^2, plus 1 unless opt is adam; parameters read from KILN_HYPERPARAMETERS.
    String cmd =
        "awk -v j=\"$KILN_HYPERPARAMETERS\" 'BEGIN { match(j, /\"x\":[-0-9.eE]+/);"
            + " x = substr(j, RSTART + 4, RLENGTH - 4); p = (j ~ /adam/) ? 0 : 1;"
            + " print \"training\"; print (x - 0.3) ^ 2 + p }'";
    String line =
        TunerBench.run(
            TunerBench.parse(
                new String[] {
                  "--objective-cmd",
                  cmd,
                  "--space",
                  space.toString(),
                  "--optimum",
                  "0",
                  "--strategy",
                  "bayesian",
                  "--trials",
                  "12",
                  "--seeds",
                  "1"
                }));
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.get("failed_trials").asInt()).isZero();
    assertThat(json.get("median_regret").get("12").asDouble()).isLessThan(0.05);
  }
}
