package dev.kiln.controlplane.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The durable table of local ranks: one JSON file per rank under {@code ranks/<job-uid>/}, written
 * atomically, so a restarted control plane (or {@code kiln local down}) finds every process.
 */
public final class RankTable {
  static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path root;

  public RankTable(Path root) {
    this.root = root;
  }

  public synchronized void put(RankRecord r) {
    try {
      AtomicFiles.write(file(r.jobUid(), r.name()), JSON.writeValueAsString(r));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public synchronized void remove(RankRecord r) {
    try {
      Files.deleteIfExists(file(r.jobUid(), r.name()));
      Path dir = root.resolve(r.jobUid());
      try (Stream<Path> left = Files.list(dir)) {
        if (left.findAny().isEmpty()) {
          Files.deleteIfExists(dir);
        }
      }
    } catch (java.nio.file.NoSuchFileException gone) {
      // already removed
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public synchronized Optional<RankRecord> get(String jobUid, String name) {
    return AtomicFiles.read(file(jobUid, name)).map(RankTable::parse);
  }

  /** The ranks of one job, by attempt and rank. */
  public synchronized List<RankRecord> of(String jobUid) {
    return read(root.resolve(jobUid));
  }

  /** Every rank of every job. */
  public synchronized List<RankRecord> all() {
    return read(root);
  }

  private List<RankRecord> read(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".json"))
          .map(p -> AtomicFiles.read(p).map(RankTable::parse))
          .flatMap(Optional::stream)
          .sorted(
              Comparator.comparing(RankRecord::jobUid)
                  .thenComparingInt(RankRecord::attempt)
                  .thenComparingInt(RankRecord::rank))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path file(String jobUid, String name) {
    return root.resolve(jobUid).resolve(name + ".json");
  }

  static RankRecord parse(String json) {
    try {
      return JSON.readValue(json, RankRecord.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable rank record: " + e.getOriginalMessage(), e);
    }
  }
}
