package dev.kiln.controlplane.local;

import java.time.Instant;

/**
 * What local mode keeps of one rank of one attempt, durably: enough to find its process again after
 * a restart, and the ports it was given.
 *
 * @param process the started process; null while a container rank's channels are staged in
 * @param dataDir where a container rank finds its channels, model and checkpoints folders
 * @param stopRequestedAt when it was asked to stop; null while it should run
 * @param problem why it could not start (staging failed); null when it could
 * @param modelUploaded for rank 0 of a container job: whether its model folder is in S3
 */
public record RankRecord(
    String name,
    String namespace,
    String job,
    String jobUid,
    int attempt,
    int rank,
    int masterPort,
    int metricsPort,
    String log,
    String dataDir,
    boolean container,
    LocalProcesses.Handle process,
    Instant createdAt,
    Instant stopRequestedAt,
    String problem,
    boolean modelUploaded) {

  RankRecord withProcess(LocalProcesses.Handle handle) {
    return new RankRecord(
        name,
        namespace,
        job,
        jobUid,
        attempt,
        rank,
        masterPort,
        metricsPort,
        log,
        dataDir,
        container,
        handle,
        createdAt,
        stopRequestedAt,
        problem,
        modelUploaded);
  }

  RankRecord withStopRequested(Instant at) {
    return new RankRecord(
        name,
        namespace,
        job,
        jobUid,
        attempt,
        rank,
        masterPort,
        metricsPort,
        log,
        dataDir,
        container,
        process,
        createdAt,
        at,
        problem,
        modelUploaded);
  }

  RankRecord withProblem(String why) {
    return new RankRecord(
        name,
        namespace,
        job,
        jobUid,
        attempt,
        rank,
        masterPort,
        metricsPort,
        log,
        dataDir,
        container,
        process,
        createdAt,
        stopRequestedAt,
        why,
        modelUploaded);
  }

  RankRecord withModelUploaded() {
    return new RankRecord(
        name,
        namespace,
        job,
        jobUid,
        attempt,
        rank,
        masterPort,
        metricsPort,
        log,
        dataDir,
        container,
        process,
        createdAt,
        stopRequestedAt,
        problem,
        true);
  }

  boolean stopping() {
    return stopRequestedAt != null;
  }
}
