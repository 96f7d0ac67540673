package dev.kiln.cli;

import java.nio.charset.Charset;
import java.util.Objects;
import java.util.Optional;

/**
 * An expected failure of a {@code kiln} command: what is wrong, what to do about it, and the exit
 * code. {@link Kiln} prints it as one line ({@code kiln: <what> — <what to do>}), no stack trace.
 */
public class KilnException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  // An em dash reads best, but a terminal that cannot show it would print "?".
  private static final String DASH =
      Charset.defaultCharset().newEncoder().canEncode('\u2014') ? " \u2014 " : " - ";

  private final String hint;
  private final int exitCode;

  /**
   * @param message what is wrong, in the user's terms
   * @param hint what to do about it, or null
   * @param exitCode one of {@link ExitCodes}
   */
  public KilnException(String message, String hint, int exitCode) {
    this(message, hint, exitCode, null);
  }

  /** Like {@link #KilnException(String, String, int)}, keeping the cause for debugging. */
  public KilnException(String message, String hint, int exitCode, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.hint = hint;
    this.exitCode = exitCode;
  }

  /** The command could not do its work (exit 1). */
  public static KilnException failed(String message, String hint) {
    return new KilnException(message, hint, ExitCodes.FAILED);
  }

  /** The user asked for something that cannot be (exit 2), found only when the command ran. */
  public static KilnException usage(String message, String hint) {
    return new KilnException(message, hint, ExitCodes.USAGE);
  }

  /** There is no local-mode control plane to talk to. */
  public static KilnException noLocalControlPlane(String detail) {
    String what = "no local control plane" + (detail == null ? "" : " (" + detail + ")");
    return failed(what, "start one with: kiln local up");
  }

  /** What to do about it, if known. */
  public Optional<String> hint() {
    return Optional.ofNullable(hint);
  }

  /** The process exit code this failure maps to. */
  public int exitCode() {
    return exitCode;
  }

  /** The one line the user sees, without the {@code kiln: } prefix. */
  public String describe() {
    return hint == null ? getMessage() : getMessage() + DASH + hint;
  }
}
