package dev.kiln.tuner.blackbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An objective computed by a command: {@code sh -c CMD} gets the parameters as a JSON object on
 * stdin and in the environment variable {@code KILN_HYPERPARAMETERS}, and prints the objective
 * value on its last non-empty stdout line. A non-zero exit or an unparsable last line fails the
 * trial.
 */
public final class CommandObjective implements Objective {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String command;

  public CommandObjective(String command) {
    if (command == null || command.isBlank()) {
      throw new IllegalArgumentException("the objective command is empty");
    }
    this.command = command;
  }

  @Override
  public double evaluate(Map<String, Object> parameters) throws ObjectiveException {
    String json;
    try {
      json = JSON.writeValueAsString(parameters);
    } catch (JsonProcessingException e) {
      throw new ObjectiveException("cannot write parameters as JSON", e);
    }
    Path stderr = null;
    try {
      stderr = Files.createTempFile("kiln-objective", ".err");
      ProcessBuilder pb = new ProcessBuilder(List.of("sh", "-c", command));
      pb.environment().put("KILN_HYPERPARAMETERS", json);
      pb.redirectError(stderr.toFile());
      Process process = pb.start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(json.getBytes(StandardCharsets.UTF_8));
      } catch (IOException ignored) {
        // The command need not read stdin; it may have exited already.
      }
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int code = process.waitFor();
      if (code != 0) {
        throw new ObjectiveException(
            "objective command exited with " + code + ": " + tail(Files.readString(stderr)));
      }
      return parseLastLine(out);
    } catch (IOException e) {
      throw new ObjectiveException("cannot run objective command: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ObjectiveException("interrupted while waiting for the objective command", e);
    } finally {
      if (stderr != null) {
        try {
          Files.deleteIfExists(stderr);
        } catch (IOException ignored) {
          // A leftover temp file is harmless.
        }
      }
    }
  }

  /** The number on the last non-empty line of a command's output. */
  static double parseLastLine(String stdout) throws ObjectiveException {
    String[] lines = stdout.strip().split("\\R");
    String last = lines[lines.length - 1].strip();
    if (last.isEmpty()) {
      throw new ObjectiveException("objective command printed nothing");
    }
    try {
      return Double.parseDouble(last);
    } catch (NumberFormatException e) {
      throw new ObjectiveException(
          "the last line of the objective command's output is not a number: '" + last + "'");
    }
  }

  private static String tail(String s) {
    String t = s.strip();
    return t.length() <= 500 ? t : "..." + t.substring(t.length() - 500);
  }
}
