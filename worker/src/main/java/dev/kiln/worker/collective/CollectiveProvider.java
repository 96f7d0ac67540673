package dev.kiln.worker.collective;

/** A collective backend, found by {@link java.util.ServiceLoader} and chosen by name. */
public interface CollectiveProvider {

  /** The name users pick it by, e.g. {@code tcp}. */
  String name();

  /** Whether this backend can run here at all (e.g. a native library is present). */
  default boolean isAvailable() {
    return true;
  }

  /** Why it cannot run here, for the error a user sees; empty when it can. */
  default String unavailableReason() {
    return isAvailable() ? "" : "not available on this machine";
  }

  /** Joins the gang described by {@code config}; blocks until every rank has joined. */
  Collective open(CollectiveConfig config);
}
