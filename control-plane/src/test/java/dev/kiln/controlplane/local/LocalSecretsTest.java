package dev.kiln.controlplane.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSecretsTest {
  @TempDir Path home;

  @Test
  void areMadeOnceKeptOwnerOnlyAndTheSameAfterARestart() throws Exception {
    LocalSecrets first = LocalSecrets.loadOrCreate(home);
    LocalSecrets again = LocalSecrets.loadOrCreate(home);

    assertThat(again).isEqualTo(first);
    assertThat(first.tokenKey()).hasSizeGreaterThanOrEqualTo(16);
    assertThat(first.apiToken()).isNotEqualTo(first.tokenKey());
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(home.resolve(LocalSecrets.FILE))))
        .isEqualTo("rw-------");
  }
}
