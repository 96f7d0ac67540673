package dev.kiln.worker.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.worker.testing.Ranks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The rank's /metrics endpoint over real HTTP. */
class WorkerMetricsIT {

  @Test
  void servesTrainingMetricsInPrometheusText() throws Exception {
    int port = Ranks.freePort();
    try (WorkerMetrics m = new WorkerMetrics(port)) {
      m.step(120);
      m.epoch(3);
      m.loss(0.25);
      m.samplesPerSecond(1000);
      m.allReduceSeconds(0.5);
      m.dataSeconds(0.125);
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body())
          .contains("kiln_worker_step 120.0")
          .contains("kiln_worker_epoch 3.0")
          .contains("kiln_worker_loss 0.25")
          .contains("kiln_worker_samples_per_second 1000.0")
          .contains("kiln_worker_allreduce_seconds_total 0.5")
          .contains("kiln_worker_data_loading_seconds_total 0.125");
    }
  }
}
