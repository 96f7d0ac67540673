package dev.kiln.cli.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.cli.ExitCodes;
import dev.kiln.cli.KilnRunner;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointCommandTest {
  @TempDir Path home;

  private KilnRunner.Result kiln(String... args) {
    return KilnRunner.run(Map.of(), home, args);
  }

  @Test
  void deployWantsExactlyOneModelSource() {
    KilnRunner.Result both =
        kiln("endpoint", "deploy", "digits", "--from-job", "j", "--uri", "s3://m/model/");
    assertThat(both.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.err()).contains("mutually exclusive");

    KilnRunner.Result none = kiln("endpoint", "deploy", "digits");
    assertThat(none.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(none.err()).contains("--from-job").contains("--uri");
  }

  @Test
  void deployRefusesReplicaBoundsTheWrongWayRound() {
    KilnRunner.Result r =
        kiln("endpoint", "deploy", "digits", "--uri", "s3://m/model/", "--min", "3", "--max", "2");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--min and --max");
  }

  @Test
  void invokeWantsDataOrAFile() {
    KilnRunner.Result r = kiln("endpoint", "invoke", "digits");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--data").contains("--file");
  }

  @Test
  void withoutLocalModeItSaysHowToStartIt() {
    KilnRunner.Result r = kiln("endpoint", "list");
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("kiln local up");
  }
}
