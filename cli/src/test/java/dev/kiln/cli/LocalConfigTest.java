package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalConfigTest {
  @TempDir Path userHome;

  private Path write(String json) throws IOException {
    Path file = LocalConfig.defaultFile(userHome);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, json);
  }

  @Test
  void readsEveryFieldAndIgnoresUnknownOnes() throws IOException {
    Path file =
        write(
            """
            {"address": "127.0.0.1:7070", "s3": "http://127.0.0.1:7071", "token": "t0k",
             "home": "/var/kiln", "pid": 4242}
            """);

    LocalConfig config = LocalConfig.read(file);

    assertThat(config)
        .isEqualTo(
            new LocalConfig(
                "127.0.0.1:7070", "http://127.0.0.1:7071", "t0k", Path.of("/var/kiln")));
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(7070);
  }

  @Test
  void homeDefaultsToTheFilesFolder() throws IOException {
    Path file =
        write("{\"address\": \"localhost:7070\", \"s3\": \"http://x:1\", \"token\": \"t\"}");

    assertThat(LocalConfig.read(file).home()).isEqualTo(userHome.resolve(".kiln"));
  }

  @Test
  void kilnReadsTheFileUnderTheUsersHome() throws IOException {
    write("{\"address\": \"localhost:7070\", \"s3\": \"http://x:1\", \"token\": \"t\"}");

    assertThat(new Kiln(java.util.Map.of(), userHome).localConfig().address())
        .isEqualTo("localhost:7070");
  }

  @Test
  void missingFileMeansNoLocalControlPlane() {
    Path file = LocalConfig.defaultFile(userHome);

    assertThatThrownBy(() -> LocalConfig.read(file))
        .isInstanceOfSatisfying(
            KilnException.class,
            e -> {
              assertThat(e.describe())
                  .contains("no local control plane")
                  .contains(file.toString())
                  .endsWith("start one with: kiln local up");
              assertThat(e.exitCode()).isEqualTo(ExitCodes.FAILED);
            });
  }

  @Test
  void brokenJsonNamesTheFile() throws IOException {
    Path file = write("{\"address\": ");

    assertThatThrownBy(() -> LocalConfig.read(file))
        .isInstanceOf(KilnException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("not JSON");
  }

  @Test
  void missingFieldIsNamed() throws IOException {
    Path file = write("{\"address\": \"localhost:7070\", \"s3\": \"http://x:1\"}");

    assertThatThrownBy(() -> LocalConfig.read(file))
        .isInstanceOf(KilnException.class)
        .hasMessageContaining("\"token\" is missing");
  }

  @Test
  void addressWithoutPortIsRejected() throws IOException {
    Path file = write("{\"address\": \"localhost\", \"s3\": \"http://x:1\", \"token\": \"t\"}");

    assertThatThrownBy(() -> LocalConfig.read(file))
        .isInstanceOf(KilnException.class)
        .hasMessageContaining("address must be host:port");
  }
}
