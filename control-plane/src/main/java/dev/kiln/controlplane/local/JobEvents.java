package dev.kiln.controlplane.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Local mode's Events: one JSON line per event in the job's folder, newest last. */
public final class JobEvents {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One event, as {@code kubectl describe} would list it. */
  public record Event(String time, String type, String reason, String message) {}

  private final LocalLayout layout;
  private final Clock clock;

  public JobEvents(LocalLayout layout, Clock clock) {
    this.layout = layout;
    this.clock = clock;
  }

  public synchronized void append(String jobUid, String type, String reason, String message) {
    Path file = layout.events(jobUid);
    try {
      Files.createDirectories(file.getParent());
      String line =
          JSON.writeValueAsString(new Event(clock.instant().toString(), type, reason, message))
              + "\n";
      Files.writeString(
          file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record an event in " + file, e);
    }
  }

  /** The newest {@code max} events of a job, oldest first. */
  public synchronized List<Event> newest(String jobUid, int max) {
    Path file = layout.events(jobUid);
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      List<Event> out = new ArrayList<>();
      for (String line : lines.subList(Math.max(0, lines.size() - max), lines.size())) {
        if (!line.isBlank()) {
          out.add(JSON.readValue(line, Event.class));
        }
      }
      return out;
    } catch (JsonProcessingException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
