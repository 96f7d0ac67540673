package dev.kiln.controlplane.grpc;

import dev.kiln.controlplane.core.JobTokens;
import dev.kiln.controlplane.core.MetricsBook;
import dev.kiln.controlplane.core.MetricsStore;
import dev.kiln.controlplane.http.ControlPlaneMetrics;
import dev.kiln.grpc.ReportMetricsRequest;
import dev.kiln.grpc.ReportMetricsResponse;
import dev.kiln.grpc.WorkerApiGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code WorkerApi}: rank 0 reports each epoch's metrics; the answer says whether to stop. Callers
 * prove which job they speak for with its {@code KILN_TOKEN}; reports are idempotent per job,
 * attempt and epoch, so workers retry until acknowledged.
 */
@GrpcService
@RegisterInterceptor(BearerToken.class)
public class WorkerApiService extends WorkerApiGrpc.WorkerApiImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerApiService.class);

  private final JobTokens tokens;
  private final Instance<MetricsStore> store;

  public WorkerApiService(JobTokens tokens, Instance<MetricsStore> store) {
    this.tokens = tokens;
    this.store = store;
  }

  @Override
  @Blocking
  public void reportMetrics(
      ReportMetricsRequest request, StreamObserver<ReportMetricsResponse> response) {
    String uid = request.getJobUid();
    if (!tokens.verify(uid, BearerToken.current())) {
      ControlPlaneMetrics.METRIC_REPORTS.labels("unauthenticated").inc();
      response.onError(
          Status.UNAUTHENTICATED
              .withDescription(
                  "a valid 'authorization: Bearer <KILN_TOKEN>' for job " + uid + " is required")
              .asRuntimeException());
      return;
    }
    if (request.getAttempt() < 1 || request.getEpoch() < 0) {
      response.onError(
          Status.INVALID_ARGUMENT
              .withDescription("attempt must be at least 1 and epoch at least 0")
              .asRuntimeException());
      return;
    }
    Optional<MetricsStore.Result> result;
    try {
      result =
          store
              .get()
              .record(
                  uid,
                  request.getAttempt(),
                  new MetricsBook.EpochValues(request.getEpoch(), request.getValuesMap()));
    } catch (RuntimeException e) {
      LOG.warn("cannot record metrics of job {}: {}", uid, e.toString());
      response.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    if (result.isEmpty()) {
      ControlPlaneMetrics.METRIC_REPORTS.labels("not_found").inc();
      response.onError(
          Status.NOT_FOUND.withDescription("no TrainingJob with uid " + uid).asRuntimeException());
      return;
    }
    MetricsStore.Result r = result.get();
    ControlPlaneMetrics.METRIC_REPORTS.labels(r.outcome().name().toLowerCase()).inc();
    response.onNext(
        ReportMetricsResponse.newBuilder()
            .setAcknowledged(true)
            .setStop(r.stop().stop())
            .setReason(r.stop().reason())
            .build());
    response.onCompleted();
  }
}
