package dev.kiln.cli.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The digits data set split the demo's way, seeded: four fifths to train on and a held-out fifth.
 * The job reports its accuracy on the held-out fifth each epoch (its validation channel), but
 * nothing trains on it or picks a model by it.
 */
final class DigitsData {
  /** The data set, relative to the checkout; its attribution is in the same folder. */
  static final String CSV = "examples/data/digits.csv";

  static final long SEED = 7;

  /** The two parts as files, and their sizes. */
  record Split(Path train, Path heldOut, int rows, int trainRows, int heldOutRows) {}

  private DigitsData() {}

  /** Splits {@code source} into two CSV files (same header) under {@code dir}. */
  static Split split(Path source, Path dir) throws IOException {
    List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
    if (lines.size() < 2) {
      throw new IOException(source + " has no rows");
    }
    String header = lines.get(0);
    List<String> rows = new ArrayList<>(lines.subList(1, lines.size()));
    rows.removeIf(String::isBlank);
    Collections.shuffle(rows, new Random(SEED));
    int heldOut = Math.round(rows.size() / 5f);
    List<String> held = rows.subList(0, heldOut);
    List<String> train = rows.subList(heldOut, rows.size());
    Files.createDirectories(dir);
    return new Split(
        write(dir.resolve("train.csv"), header, train),
        write(dir.resolve("heldout.csv"), header, held),
        rows.size(),
        train.size(),
        held.size());
  }

  private static Path write(Path file, String header, List<String> rows) throws IOException {
    List<String> all = new ArrayList<>(rows.size() + 1);
    all.add(header);
    all.addAll(rows);
    Files.write(file, all, StandardCharsets.UTF_8);
    return file;
  }
}
