package dev.kiln.controlplane.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kiln.api.TrainingJob;
import dev.kiln.controlplane.core.JobTokens;
import dev.kiln.controlplane.core.StopSignal;
import dev.kiln.controlplane.testing.Jobs;
import dev.kiln.controlplane.testing.KilnCrds;
import dev.kiln.grpc.ReportMetricsRequest;
import dev.kiln.grpc.ReportMetricsResponse;
import dev.kiln.grpc.WorkerApiGrpc;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ReportMetrics over real gRPC on the control plane's HTTP port, against the test API server. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = KilnCrds.class)
class WorkerApiIT {
  static final String NS = "ml";

  @Inject KubernetesClient client;
  @Inject JobTokens tokens;

  @TestHTTPResource("/")
  URL root;

  private ManagedChannel channel;

  @BeforeEach
  void connect() {
    channel =
        ManagedChannelBuilder.forAddress(root.getHost(), root.getPort()).usePlaintext().build();
  }

  @AfterEach
  void disconnect() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private WorkerApiGrpc.WorkerApiBlockingStub stub(String token) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return WorkerApiGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  /** A job the reconciler has seen, so it is at attempt 1. */
  private TrainingJob reconciledJob(String name) {
    TrainingJob job = Jobs.algorithm(name, 1);
    job.getMetadata().setUid(null);
    client.resource(job).inNamespace(NS).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get(name).getStatus() != null && get(name).getStatus().attempt != null);
    return get(name);
  }

  private TrainingJob get(String name) {
    return client.resources(TrainingJob.class).inNamespace(NS).withName(name).get();
  }

  private static ReportMetricsRequest report(TrainingJob job, int epoch, double accuracy) {
    return ReportMetricsRequest.newBuilder()
        .setJobUid(job.getMetadata().getUid())
        .setAttempt(1)
        .setEpoch(epoch)
        .putAllValues(Map.of("loss", 1.0 / (epoch + 1), "val_accuracy", accuracy))
        .build();
  }

  @Test
  void aWrongTokenIsUnauthenticated() {
    TrainingJob job = reconciledJob("metrics-auth");
    assertThatThrownBy(() -> stub("not-the-token").reportMetrics(report(job, 1, 0.5)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    // A token of another job is just as wrong.
    assertThatThrownBy(
            () -> stub(tokens.tokenFor("some-other-uid")).reportMetrics(report(job, 1, 0.5)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    assertThat(get("metrics-auth").getStatus().metrics).isNull();
  }

  @Test
  void aRepeatedEpochIsRecordedOnceAndTheLatestValuesAreKept() {
    TrainingJob job = reconciledJob("metrics-dup");
    var worker = stub(tokens.tokenFor(job.getMetadata().getUid()));

    ReportMetricsResponse first = worker.reportMetrics(report(job, 1, 0.8));
    ReportMetricsResponse again = worker.reportMetrics(report(job, 1, 0.8));
    worker.reportMetrics(report(job, 2, 0.9));

    assertThat(first.getAcknowledged()).isTrue();
    assertThat(first.getStop()).isFalse();
    assertThat(again.getAcknowledged()).isTrue();
    var status = get("metrics-dup").getStatus();
    assertThat(status.metrics.history).hasSize(2);
    assertThat(status.metrics.history.get(0))
        .containsEntry("epoch", 1.0)
        .containsEntry("val_accuracy", 0.8);
    assertThat(status.metrics.latest)
        .containsEntry("epoch", 2.0)
        .containsEntry("val_accuracy", 0.9);
    assertThat(status.latestMetric).isEqualTo("val_accuracy=0.9");
    assertThat(status.attempt).as("the reconciler's fields survive").isEqualTo(1);
  }

  @Test
  void theAnswerSaysStopWhenTheTunerStopsTheJobEarly() {
    TrainingJob job = reconciledJob("metrics-stop");
    // As the tuner does it: a merge patch of one annotation, no read-modify-write.
    client
        .resources(TrainingJob.class)
        .inNamespace(NS)
        .withName("metrics-stop")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\""
                + StopSignal.EARLY_STOP
                + "\":\"below the ASHA rung 1 cutoff\"}}}");
    ReportMetricsResponse answer =
        stub(tokens.tokenFor(job.getMetadata().getUid())).reportMetrics(report(job, 1, 0.1));
    assertThat(answer.getAcknowledged()).isTrue();
    assertThat(answer.getStop()).isTrue();
    assertThat(answer.getReason()).isEqualTo("EarlyStopped: below the ASHA rung 1 cutoff");
  }

  @Test
  void metricsAreServedAsPrometheusText() throws Exception {
    TrainingJob job = reconciledJob("metrics-prom");
    stub(tokens.tokenFor(job.getMetadata().getUid())).reportMetrics(report(job, 1, 0.5));
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(root.toURI().resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(response.body())
        .contains("kiln_metric_reports_total{outcome=\"recorded\"")
        .contains("kiln_reconciles_total{kind=\"TrainingJob\",result=\"ok\"");
  }

  @Test
  void anUnknownJobIsNotFound() {
    assertThatThrownBy(
            () ->
                stub(tokens.tokenFor("no-such-uid"))
                    .reportMetrics(
                        ReportMetricsRequest.newBuilder()
                            .setJobUid("no-such-uid")
                            .setAttempt(1)
                            .setEpoch(1)
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }
}
