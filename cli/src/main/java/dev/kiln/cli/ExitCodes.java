package dev.kiln.cli;

/** The exit codes every {@code kiln} command uses (DESIGN.md): scripts and CI branch on them. */
public final class ExitCodes {
  /** The command did what was asked. */
  public static final int OK = 0;

  /** The job or sweep failed, or the command could not do its work. */
  public static final int FAILED = 1;

  /** The command line was wrong: unknown command or option, bad value, missing argument. */
  public static final int USAGE = 2;

  private ExitCodes() {}
}
