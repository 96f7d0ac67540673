package dev.kiln.worker.report;

import dev.kiln.grpc.ReportMetricsRequest;
import dev.kiln.grpc.ReportMetricsResponse;
import dev.kiln.grpc.WorkerApiGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Rank 0's per-epoch {@code WorkerApi.ReportMetrics} to the control plane, on a background thread:
 * each report is retried with backoff until acknowledged (the call is idempotent per job, attempt
 * and epoch), in epoch order. The trainer waits a bounded time for an answer, to stop early when it
 * says so, and drains the rest before exiting.
 */
public final class MetricsReporter implements AutoCloseable {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final ManagedChannel channel;
  private final WorkerApiGrpc.WorkerApiBlockingStub stub;
  private final String jobUid;
  private final int attempt;
  private final ExecutorService executor;
  private volatile boolean closing;
  private CompletableFuture<ReportMetricsResponse> last = CompletableFuture.completedFuture(null);

  /** A reporter to {@code target} ({@code host:port}, plaintext) with the job's bearer token. */
  public MetricsReporter(String target, String token, String jobUid, int attempt) {
    this.channel = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + (token == null ? "" : token));
    this.stub =
        WorkerApiGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    this.jobUid = jobUid;
    this.attempt = attempt;
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "kiln-metrics-reporter");
              t.setDaemon(true);
              return t;
            });
  }

  /** Queues the report of {@code epoch} (1-based); the future completes once acknowledged. */
  public synchronized CompletableFuture<ReportMetricsResponse> report(
      int epoch, Map<String, Double> values) {
    ReportMetricsRequest req =
        ReportMetricsRequest.newBuilder()
            .setJobUid(jobUid)
            .setAttempt(attempt)
            .setEpoch(epoch)
            .putAllValues(values)
            .build();
    last = CompletableFuture.supplyAsync(() -> sendUntilAcknowledged(req), executor);
    return last;
  }

  private ReportMetricsResponse sendUntilAcknowledged(ReportMetricsRequest req) {
    long backoffMs = 200;
    while (true) {
      try {
        ReportMetricsResponse r = stub.withDeadlineAfter(10, TimeUnit.SECONDS).reportMetrics(req);
        if (r.getAcknowledged()) {
          return r;
        }
        log(req, "not acknowledged" + (r.getReason().isEmpty() ? "" : ": " + r.getReason()));
      } catch (StatusRuntimeException e) {
        log(req, e.getStatus().getCode() + " " + e.getStatus().getDescription());
      }
      if (closing) {
        throw new IllegalStateException(
            "reporter closed before epoch " + req.getEpoch() + " was acknowledged");
      }
      try {
        Thread.sleep(backoffMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      backoffMs = Math.min(5_000, backoffMs * 2);
    }
  }

  private static void log(ReportMetricsRequest req, String what) {
    System.err.println(
        "kiln worker: ReportMetrics for epoch " + req.getEpoch() + " " + what + "; retrying");
  }

  /** Waits up to {@code timeoutMs} for every queued report to be acknowledged. */
  public boolean drain(long timeoutMs) {
    CompletableFuture<ReportMetricsResponse> f;
    synchronized (this) {
      f = last;
    }
    try {
      f.get(timeoutMs, TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    closing = true;
    executor.shutdownNow();
    channel.shutdownNow();
  }
}
