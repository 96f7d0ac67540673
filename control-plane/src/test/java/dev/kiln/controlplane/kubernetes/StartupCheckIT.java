package dev.kiln.controlplane.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.controlplane.testing.KilnCrds;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The start-up check against a test API server: plain sentences for missing CRDs and verbs. */
class StartupCheckIT {

  private static KubernetesServer server(boolean crud) {
    KubernetesServer server =
        new KubernetesServer(false, crud, InetAddress.getLoopbackAddress(), 0, List.of());
    server.before();
    return server;
  }

  @Test
  void missingCrdsAreNamedAndStopTheStart() {
    KubernetesServer server = server(true);
    try {
      StartupCheck.Report report = StartupCheck.run(server.getClient());
      assertThat(report.fatal()).isTrue();
      assertThat(report.problems())
          .singleElement()
          .asString()
          .contains("Kiln's CRDs are not installed: trainingjobs.kiln.dev, tuningjobs.kiln.dev")
          .contains("kubectl apply -k deploy/");

      KilnCrds.install(server.getClient());
      assertThat(StartupCheck.run(server.getClient()).fatal()).isFalse();
    } finally {
      server.after();
    }
  }

  @Test
  void deniedVerbsAreListed() {
    KubernetesServer server = server(false);
    try {
      server
          .expect()
          .get()
          .withPath("/apis/kiln.dev/v1alpha1")
          .andReturn(
              200,
              new APIResourceListBuilder()
                  .withGroupVersion("kiln.dev/v1alpha1")
                  .withResources(
                      List.of("trainingjobs", "tuningjobs", "inferenceendpoints", "queues").stream()
                          .map(n -> new APIResourceBuilder().withName(n).build())
                          .toList())
                  .build())
          .always();
      server
          .expect()
          .post()
          .withPath("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
          .andReturn(
              201,
              new SelfSubjectAccessReviewBuilder()
                  .withNewStatus()
                  .withAllowed(false)
                  .endStatus()
                  .build())
          .always();

      StartupCheck.Report report = StartupCheck.run(server.getClient());
      assertThat(report.missingCrds()).isEmpty();
      assertThat(report.missingPermissions()).hasSameSizeAs(StartupCheck.REQUIRED);
      assertThat(report.problems())
          .singleElement()
          .asString()
          .startsWith("The control plane's service account may not: get trainingjobs.kiln.dev,")
          .contains("get pods/log", "create events", "patch trainingjobs.kiln.dev/status");
    } finally {
      server.after();
    }
  }
}
