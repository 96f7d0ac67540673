package dev.kiln.scheduler.core;

import java.util.Objects;

/** A job's identity, {@code namespace/name}; ordered by namespace, then name, for tie-breaks. */
public record JobId(String namespace, String name) implements Comparable<JobId> {

  public JobId {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  /** Parses {@code namespace/name}; a bare name lands in namespace {@code default}. */
  public static JobId parse(String text) {
    int slash = text.indexOf('/');
    return slash < 0
        ? new JobId("default", text)
        : new JobId(text.substring(0, slash), text.substring(slash + 1));
  }

  @Override
  public int compareTo(JobId o) {
    int c = namespace.compareTo(o.namespace);
    return c != 0 ? c : name.compareTo(o.name);
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
