package dev.kiln.scheduler.bench;

/**
 * One line of the bind log: the only thing {@link BindLogChecker} reads about a run.
 *
 * @param timeMillis simulated time
 * @param job {@code namespace/name}
 * @param pod the pod's name; unique per job and rank
 * @param node where the pod was bound; empty for {@link Kind#END}
 */
public record BindEvent(long timeMillis, Kind kind, String job, String pod, String node) {

  /** What happened to the pod. */
  public enum Kind {
    BIND,
    UNBIND,
    /** The end of the run: nothing happens after it. */
    END
  }
}
