package dev.kiln.controlplane.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.Conditions;
import dev.kiln.api.InferenceEndpoint;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.spec.InferenceEndpointSpec;
import dev.kiln.api.spec.InferenceEndpointSpec.ModelSource;
import dev.kiln.api.status.Phase;
import dev.kiln.api.status.TrainingJobStatus;
import dev.kiln.controlplane.endpoint.EndpointObserved.Stats;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EndpointCoreTest {
  static final String A = "s3://models/a/model/";
  static final String B = "s3://models/b/model/";
  static final String C = "s3://models/c/model/";

  static InferenceEndpoint endpoint(ModelSource model) {
    InferenceEndpoint e = new InferenceEndpoint();
    e.setMetadata(
        new ObjectMetaBuilder()
            .withName("digits")
            .withNamespace("default")
            .withUid("uid-1")
            .withGeneration(1L)
            .build());
    InferenceEndpointSpec spec = new InferenceEndpointSpec();
    spec.model = model;
    spec.replicas = new InferenceEndpointSpec.Replicas();
    spec.replicas.min = 1;
    spec.replicas.max = 4;
    spec.autoscaling = new InferenceEndpointSpec.Autoscaling();
    spec.autoscaling.targetInFlight = 4;
    spec.autoscaling.scaleDownDelaySeconds = 30;
    e.setSpec(spec);
    return e;
  }

  static String key(String uri) {
    return VersionKeys.of(uri, null);
  }

  static FakeEndpointWorld serving(String uri) {
    FakeEndpointWorld world = new FakeEndpointWorld(endpoint(ModelSource.ofUri(uri)));
    world.settle(3);
    return world;
  }

  @Test
  void waitsForTheTrainingJobToSucceedThenServesItsModel() {
    FakeEndpointWorld world = new FakeEndpointWorld(endpoint(ModelSource.ofJob("train")));
    TrainingJob job = new TrainingJob();
    job.setStatus(new TrainingJobStatus());
    job.getStatus().phase = Phase.RUNNING;
    world.jobs.put("train", job);

    world.settle(2);
    assertThat(world.endpoint.getStatus().phase).isEqualTo("Pending");
    assertThat(world.versions).isEmpty();
    assertThat(Conditions.find(world.endpoint.getStatus().conditions, "Ready").get().getReason())
        .isEqualTo("WaitingForTrainingJob");

    job.getStatus().phase = Phase.SUCCEEDED;
    job.getStatus().modelUri = A;
    world.settle(3);
    assertThat(world.endpoint.getStatus().phase).isEqualTo("Ready");
    assertThat(world.endpoint.getStatus().model.current).isEqualTo(A);
    assertThat(world.endpoint.getStatus().url).isEqualTo("http://router/endpoints/x");
    assertThat(world.route(key(A)).get().weight()).isEqualTo(100);
  }

  @Test
  void aFailedTrainingJobFailsTheEndpoint() {
    FakeEndpointWorld world = new FakeEndpointWorld(endpoint(ModelSource.ofJob("train")));
    TrainingJob job = new TrainingJob();
    job.setStatus(new TrainingJobStatus());
    job.getStatus().phase = Phase.FAILED;
    world.jobs.put("train", job);
    world.settle(1);
    assertThat(world.endpoint.getStatus().phase).isEqualTo("Failed");
  }

  @Test
  void reconcilingASteadyEndpointAgainChangesNothing() {
    FakeEndpointWorld world = serving(A);
    EndpointDecision again = world.reconcile();
    assertThat(again.actions()).isEmpty();
    assertThat(again.statusChanged(world.endpoint.getStatus())).isFalse();
  }

  @Test
  void rollsOutOnlyOnceTheNewVersionIsReadyAndStopsTheOldOneWhenDrained() {
    FakeEndpointWorld world = serving(A);
    world.endpoint.getSpec().model = ModelSource.ofUri(B);
    world.startReady = false;
    world.reconcile();
    assertThat(world.versions).containsKeys(key(A), key(B));
    assertThat(world.route(key(A)).get().weight()).isEqualTo(100);
    assertThat(world.route(key(B))).isEmpty();
    assertThat(world.endpoint.getStatus().model.current).isEqualTo(A);

    world.startReady = true;
    world.replicasStart();
    String oldBackend = world.versions.get(key(A)).readyBackends().get(0);
    world.inFlight.put(oldBackend, 2);
    world.reconcile();
    assertThat(world.route(key(B)).get().weight()).isEqualTo(100);
    assertThat(world.route(key(A))).isEmpty();
    assertThat(world.endpoint.getStatus().model.current).isEqualTo(B);

    world.reconcile();
    assertThat(world.versions).as("A still has requests in flight").containsKey(key(A));
    world.inFlight.put(oldBackend, 0);
    world.reconcile();
    assertThat(world.versions).containsOnlyKeys(key(B));
    assertThat(world.log)
        .anySatisfy(a -> assertThat(a).isEqualTo(new EndpointAction.RemoveVersion(key(A))));
  }

  @Test
  void nothingIsRoutedOrRemovedWhileTheRouterIsDown() {
    FakeEndpointWorld world = serving(A);
    world.endpoint.getSpec().model = ModelSource.ofUri(B);
    world.routerUp = false;
    world.settle(3);
    assertThat(world.versions).containsKeys(key(A), key(B));
    assertThat(world.endpoint.getStatus().model.current).isEqualTo(A);
    assertThat(Conditions.find(world.endpoint.getStatus().conditions, "Ready").get().getReason())
        .isEqualTo("RouterUnavailable");
  }

  static InferenceEndpointSpec.Canary canary(String uri) {
    InferenceEndpointSpec.Canary c = new InferenceEndpointSpec.Canary();
    c.model = ModelSource.ofUri(uri);
    c.trafficPercent = 10;
    c.bakeSeconds = 300;
    return c;
  }

  @Test
  void aCanaryTakesItsPercentageOnceReady() {
    FakeEndpointWorld world = serving(A);
    world.endpoint.getSpec().canary = canary(C);
    world.settle(3);
    assertThat(world.route(key(A)).get().weight()).isEqualTo(90);
    assertThat(world.route(key(C)).get().weight()).isEqualTo(10);
    assertThat(world.endpoint.getStatus().model.canary).isEqualTo(C);
    assertThat(Conditions.isTrue(world.endpoint.getStatus().conditions, "CanaryBaking")).isTrue();
  }

  @Test
  void rollsTheCanaryBackWhenItsErrorRateIsWorseAndDoesNotDeployItAgain() {
    FakeEndpointWorld world = serving(A);
    world.endpoint.getSpec().canary = canary(C);
    world.settle(3);
    world.stats.put(key(A), new Stats(1000, 1, 5));
    world.stats.put(key(C), new Stats(100, 5, 5));
    world.settle(3);
    var status = world.endpoint.getStatus();
    assertThat(status.model.canary).isNull();
    assertThat(status.model.rolledBack).isEqualTo(C);
    assertThat(world.route(key(C))).isEmpty();
    assertThat(world.route(key(A)).get().weight()).isEqualTo(100);
    assertThat(world.versions).doesNotContainKey(key(C));
    var rolledBack = Conditions.find(status.conditions, "CanaryRolledBack").get();
    assertThat(rolledBack.getStatus()).isEqualTo("True");
    assertThat(rolledBack.getReason()).isEqualTo("CanaryErrorRate");
    assertThat(world.log)
        .anySatisfy(
            a -> {
              assertThat(a).isInstanceOf(EndpointAction.Event.class);
              assertThat(((EndpointAction.Event) a).warning()).isTrue();
              assertThat(((EndpointAction.Event) a).reason())
                  .isEqualTo(EndpointReason.CanaryErrorRate);
            });
  }

  @Test
  void rollsTheCanaryBackWhenItsP99IsWorseByMoreThanTheRatio() {
    FakeEndpointWorld world = serving(A);
    world.endpoint.getSpec().canary = canary(C);
    world.settle(3);
    world.stats.put(key(A), new Stats(1000, 0, 4));
    world.stats.put(key(C), new Stats(100, 0, 7));
    world.settle(2);
    assertThat(world.endpoint.getStatus().model.rolledBack).isEqualTo(C);
    assertThat(
            Conditions.find(world.endpoint.getStatus().conditions, "CanaryRolledBack")
                .get()
                .getReason())
        .isEqualTo("CanaryLatency");
  }

  @Test
  void aCanaryNoWorseThanStableBakesAndKeepsItsShare() {
    FakeEndpointWorld world = serving(A);
    world.endpoint.getSpec().canary = canary(C);
    world.settle(3);
    world.stats.put(key(A), new Stats(1000, 0, 4));
    world.stats.put(key(C), new Stats(100, 0, 5));
    world.now = world.now.plus(Duration.ofSeconds(301));
    world.settle(2);
    var baking = Conditions.find(world.endpoint.getStatus().conditions, "CanaryBaking").get();
    assertThat(baking.getStatus()).isEqualTo("False");
    assertThat(baking.getReason()).isEqualTo("BakeSucceeded");
    assertThat(world.route(key(C)).get().weight()).isEqualTo(10);
  }

  @Test
  void scalesUpAtOnceAndDownOnlyAfterTheDelayWithinMinAndMax() {
    FakeEndpointWorld world = serving(A);
    world.load(key(A), 13);
    world.settle(2);
    assertThat(world.versions.get(key(A)).replicas()).isEqualTo(4);
    assertThat(world.endpoint.getStatus().lastScale.from).isEqualTo(1);
    assertThat(world.endpoint.getStatus().lastScale.to).isEqualTo(4);
    assertThat(world.endpoint.getStatus().lastScale.reason).contains("in-flight 13 > target 4");

    world.load(key(A), 0);
    world.settle(10);
    assertThat(world.versions.get(key(A)).replicas()).as("within the delay").isEqualTo(4);
    world.settle(25);
    assertThat(world.versions.get(key(A)).replicas()).isEqualTo(1);
    assertThat(world.endpoint.getStatus().lastScale.to).isEqualTo(1);
  }
}
