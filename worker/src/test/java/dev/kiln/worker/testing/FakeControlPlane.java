package dev.kiln.worker.testing;

import dev.kiln.grpc.ReportMetricsRequest;
import dev.kiln.grpc.ReportMetricsResponse;
import dev.kiln.grpc.WorkerApiGrpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A real gRPC server playing the control plane's {@code WorkerApi}: checks the bearer token,
 * records every report, and answers what the test decides (acknowledge, stop, fail, or hold).
 */
public final class FakeControlPlane implements AutoCloseable {
  private static final Metadata.Key<String> AUTH =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final Server server;
  public final List<ReportMetricsRequest> reports = new CopyOnWriteArrayList<>();
  private volatile Function<ReportMetricsRequest, ReportMetricsResponse> answer =
      r -> ReportMetricsResponse.newBuilder().setAcknowledged(true).build();

  public FakeControlPlane(String token) throws IOException {
    ServerInterceptor auth =
        new ServerInterceptor() {
          @Override
          public <Q, A> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
            if (!("Bearer " + token).equals(headers.get(AUTH))) {
              call.close(Status.UNAUTHENTICATED.withDescription("bad token"), new Metadata());
              return new ServerCall.Listener<>() {};
            }
            return next.startCall(call, headers);
          }
        };
    WorkerApiGrpc.WorkerApiImplBase impl =
        new WorkerApiGrpc.WorkerApiImplBase() {
          @Override
          public void reportMetrics(
              ReportMetricsRequest request, StreamObserver<ReportMetricsResponse> reply) {
            ReportMetricsResponse r = answer.apply(request);
            if (r == null) {
              reply.onError(Status.UNAVAILABLE.withDescription("try again").asRuntimeException());
              return;
            }
            reports.add(request);
            reply.onNext(r);
            reply.onCompleted();
          }
        };
    server =
        ServerBuilder.forPort(0)
            .addService(ServerInterceptors.intercept(impl, auth))
            .build()
            .start();
  }

  /** How to answer; returning null fails the call with UNAVAILABLE (the worker retries). */
  public void answer(Function<ReportMetricsRequest, ReportMetricsResponse> f) {
    this.answer = f;
  }

  public String target() {
    return "127.0.0.1:" + server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
