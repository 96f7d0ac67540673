package dev.kiln.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigitsDataTest {
  private static final Path CSV = Path.of("..").resolve(DigitsData.CSV);

  @TempDir Path dir;

  @Test
  void holdsOutAFifthDisjointFromTheTrainingPartAndTheSameEveryTime() throws Exception {
    DigitsData.Split split = DigitsData.split(CSV, dir.resolve("a"));
    DigitsData.Split again = DigitsData.split(CSV, dir.resolve("b"));

    assertThat(split.rows()).isEqualTo(1797);
    assertThat(split.heldOutRows()).isEqualTo(359);
    assertThat(split.trainRows()).isEqualTo(1797 - 359);
    List<String> train = Files.readAllLines(split.train());
    List<String> held = Files.readAllLines(split.heldOut());
    assertThat(train.get(0)).isEqualTo(held.get(0)).endsWith(",label");
    Set<String> trainRows = new HashSet<>(train.subList(1, train.size()));
    // Digits has a few duplicate images; every held-out row is still a row of its own.
    assertThat(held.subList(1, held.size()).stream().filter(trainRows::contains).count())
        .isLessThan(5);
    assertThat(Files.readAllLines(again.heldOut())).isEqualTo(held);
  }
}
