package dev.kiln.controlplane.local;

import java.nio.file.Path;

/** Where local mode keeps what, under its home folder. */
public record LocalLayout(Path home) {
  public LocalLayout {
    home = home.toAbsolutePath().normalize();
  }

  /** The resource store (TrainingJobs and the other kinds). */
  public Path store() {
    return home.resolve("store");
  }

  /** The embedded S3 server's buckets. */
  public Path objects() {
    return home.resolve("objects");
  }

  /** One record per rank process. */
  public Path ranks() {
    return home.resolve("ranks");
  }

  /** A job's own folder: its spec file, events, logs and rank folders. */
  public Path job(String uid) {
    return home.resolve("jobs").resolve(uid);
  }

  /** {@code KILN_SPEC_FILE}: the spec merged with hyperparameters. */
  public Path specFile(String uid) {
    return job(uid).resolve("spec.json");
  }

  /** The digest of the spec in {@link #specFile}, written after it. */
  public Path specDigest(String uid) {
    return job(uid).resolve("spec.digest");
  }

  public Path events(String uid) {
    return job(uid).resolve("events.jsonl");
  }

  /** The log of one rank of one attempt. */
  public Path log(String uid, int attempt, int rank) {
    return job(uid).resolve("logs").resolve("attempt-" + attempt).resolve("rank-" + rank + ".log");
  }

  /** A rank's working folder, kept across attempts so a container finds its checkpoints. */
  public Path rankDir(String uid, int rank) {
    return job(uid).resolve("rank-" + rank);
  }
}
