package dev.kiln.tuner.blackbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs real child processes through {@code sh -c}. */
class CommandObjectiveIT {
  private static Map<String, Object> point() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("lr", 0.5);
    p.put("units", 64L);
    p.put("optimizer", "adam");
    return p;
  }

  @Test
  void passesParametersOnStdinAndInTheEnvironment() throws Exception {
    String json = "{\"lr\":0.5,\"units\":64,\"optimizer\":\"adam\"}";
    // Prints 1 when stdin and the environment both carry exactly the JSON.
    String cmd =
        "in=$(cat); echo training...; "
            + "if [ \"$in\" = '"
            + json
            + "' ] && [ \"$KILN_HYPERPARAMETERS\" = '"
            + json
            + "' ]; then echo 1; else echo 0; fi";
    assertThat(new CommandObjective(cmd).evaluate(point())).isEqualTo(1.0);
  }

  @Test
  void failsOnANonZeroExitOrANonNumericLastLine() {
    assertThatThrownBy(() -> new CommandObjective("echo oops >&2; exit 3").evaluate(point()))
        .isInstanceOf(Objective.ObjectiveException.class)
        .hasMessage("objective command exited with 3: oops");
    assertThatThrownBy(() -> new CommandObjective("echo 1; echo done").evaluate(point()))
        .hasMessage("the last line of the objective command's output is not a number: 'done'");
    assertThatThrownBy(() -> new CommandObjective("true").evaluate(point()))
        .hasMessage("objective command printed nothing");
  }
}
