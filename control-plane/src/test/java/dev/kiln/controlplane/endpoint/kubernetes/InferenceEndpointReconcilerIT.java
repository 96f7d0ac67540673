package dev.kiln.controlplane.endpoint.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.api.InferenceEndpoint;
import dev.kiln.api.spec.InferenceEndpointSpec;
import dev.kiln.api.spec.InferenceEndpointSpec.ModelSource;
import dev.kiln.controlplane.endpoint.VersionKeys;
import dev.kiln.controlplane.testing.KilnCrds;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The endpoint reconciler against the test API server in CRUD mode (no kubelet: the test marks
 * Deployments ready) and a fake router that keeps the routes it is given.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = KilnCrds.class)
@QuarkusTestResource(FakeRouter.class)
class InferenceEndpointReconcilerIT {
  static final String NS = "serving";
  static final Duration WAIT = Duration.ofSeconds(20);
  static final String A = "s3://models/a/model/";
  static final String B = "s3://models/b/model/";

  @Inject KubernetesClient client;

  private InferenceEndpoint create(String name, String uri) {
    InferenceEndpoint e = new InferenceEndpoint();
    e.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    InferenceEndpointSpec spec = new InferenceEndpointSpec();
    spec.model = ModelSource.ofUri(uri);
    spec.resources = new dev.kiln.api.spec.Resources("500m", "1Gi", 0);
    e.setSpec(spec);
    return client.resource(e).inNamespace(NS).create();
  }

  private InferenceEndpoint get(String name) {
    return client.resources(InferenceEndpoint.class).inNamespace(NS).withName(name).get();
  }

  private Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(NS).withName(name).get();
  }

  /** Plays the kubelet and the Deployment controller: all replicas ready. */
  private void markReady(String name) {
    Deployment d = deployment(name);
    d.setStatus(
        new DeploymentStatusBuilder()
            .withReplicas(d.getSpec().getReplicas())
            .withReadyReplicas(d.getSpec().getReplicas())
            .build());
    client.apps().deployments().inNamespace(NS).resource(d).updateStatus();
  }

  private static List<String> routedVersions(String endpoint) {
    JsonNode routes = FakeRouter.ROUTES.get(endpoint);
    return routes == null
        ? List.of()
        : java.util.stream.StreamSupport.stream(routes.path("versions").spliterator(), false)
            .filter(v -> v.path("weight").asInt() > 0)
            .map(v -> v.path("name").asText())
            .toList();
  }

  @Test
  void aVersionIsADeploymentWithProbesAndAServiceRoutedOnceReady() {
    InferenceEndpoint e = create("digits", A);
    String version = VersionKeys.of(A, null);
    String name = "digits-" + version;
    await().atMost(WAIT).until(() -> deployment(name) != null);

    Deployment d = deployment(name);
    assertThat(d.getMetadata().getOwnerReferences().get(0).getUid())
        .isEqualTo(e.getMetadata().getUid());
    assertThat(d.getSpec().getReplicas()).isEqualTo(1);
    Container server = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(server.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/ready");
    assertThat(server.getEnv())
        .anySatisfy(
            env -> {
              assertThat(env.getName()).isEqualTo("KILN_MODEL_URI");
              assertThat(env.getValue()).isEqualTo(A);
            });
    assertThat(server.getResources().getRequests().get("cpu").toString()).isEqualTo("500m");
    assertThat(client.services().inNamespace(NS).withName(name).get()).isNotNull();
    assertThat(routedVersions("digits")).isEmpty();
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(get("digits").getStatus().phase).isEqualTo("Deploying"));

    markReady(name);
    await().atMost(WAIT).until(() -> routedVersions("digits").equals(List.of(version)));
    assertThat(
            FakeRouter.ROUTES
                .get("digits")
                .path("versions")
                .get(0)
                .path("backends")
                .get(0)
                .asText())
        .isEqualTo(name + "." + NS + ".svc:8080");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              InferenceEndpoint ready = get("digits");
              assertThat(ready.getStatus().phase).isEqualTo("Ready");
              assertThat(ready.getStatus().model.current).isEqualTo(A);
              assertThat(ready.getStatus().url).endsWith("/endpoints/digits");
              assertThat(ready.getStatus().replicas.ready).isEqualTo(1);
            });
  }

  @Test
  void aNewModelRollsOutBesideTheOldAndTheOldGoesOnceTheNewIsReady() {
    create("roll", A);
    String a = "roll-" + VersionKeys.of(A, null);
    String b = "roll-" + VersionKeys.of(B, null);
    await().atMost(WAIT).until(() -> deployment(a) != null);
    markReady(a);
    await().atMost(WAIT).until(() -> "Ready".equals(get("roll").getStatus().phase));

    InferenceEndpoint e = get("roll");
    e.getSpec().model = ModelSource.ofUri(B);
    client.resources(InferenceEndpoint.class).inNamespace(NS).resource(e).update();
    await().atMost(WAIT).until(() -> deployment(b) != null);
    assertThat(routedVersions("roll")).containsExactly(VersionKeys.of(A, null));
    assertThat(deployment(a)).isNotNull();

    markReady(b);
    await()
        .atMost(WAIT)
        .until(() -> routedVersions("roll").equals(List.of(VersionKeys.of(B, null))));
    await().atMost(WAIT).until(() -> deployment(a) == null);
    await().atMost(WAIT).until(() -> client.services().inNamespace(NS).withName(a).get() == null);
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(get("roll").getStatus().model.current).isEqualTo(B));
    assertThat(
            client.v1().events().inNamespace(NS).list().getItems().stream()
                .map(ev -> ev.getReason())
                .toList())
        .contains("RolledOut");
  }
}
