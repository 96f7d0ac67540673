package dev.kiln.scheduler.k8s;

import static dev.kiln.scheduler.k8s.K8sFixture.applyBindings;
import static dev.kiln.scheduler.k8s.K8sFixture.bindings;
import static dev.kiln.scheduler.k8s.K8sFixture.create;
import static dev.kiln.scheduler.k8s.K8sFixture.foreign;
import static dev.kiln.scheduler.k8s.K8sFixture.node;
import static dev.kiln.scheduler.k8s.K8sFixture.nodes;
import static dev.kiln.scheduler.k8s.K8sFixture.pods;
import static dev.kiln.scheduler.k8s.K8sFixture.rank;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.scheduler.core.GangScheduler;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The binder against fabric8's mock API server in CRUD mode. The mock stores Binding objects but
 * does not set the pod's node as the real API server does; {@link K8sFixture#applyBindings} plays
 * that part where a test needs it.
 */
@EnableKubernetesMockClient(crud = true)
class GangBinderIT {
  private static final String NS = "team-a";

  KubernetesClient client;
  private GangBinder binder;

  @BeforeEach
  void setUp() {
    Clock clock = Clock.systemUTC();
    binder =
        new GangBinder(
            new BindPlanner(new GangScheduler(clock), "kiln.dev/rack"),
            new KubernetesPodBindings(client, clock));
    create(
        client,
        node("n1", 8, "zone-a", "r1"),
        node("n2", 8, "zone-a", "r1"),
        node("n3", 8, "zone-b", "r2"));
  }

  private GangBinder.Report pass() {
    return binder.pass(nodes(client), pods(client));
  }

  private void createGang(String job, int size, int gpus) {
    for (int r = 0; r < size; r++) {
      create(client, rank(NS, job, 1, size, r, gpus));
    }
  }

  @Test
  void bindsEveryPodOfACompleteGangThroughTheBindingApi() {
    createGang("train", 4, 4);

    GangBinder.Report r = pass();

    assertThat(r.bound()).containsExactly(NS + "/train#1");
    Map<String, String> bound = bindings(client, NS);
    assertThat(bound).containsOnlyKeys("train-0", "train-1", "train-2", "train-3");
    // 4 ranks of 4 GPUs: two nodes of one rack, two ranks each.
    assertThat(bound.values()).containsOnly("n1", "n2");
    assertThat(bound.values().stream().filter("n1"::equals).count()).isEqualTo(2);
  }

  @Test
  void waitsUntilEveryPodOfTheGangExists() {
    create(client, rank(NS, "train", 1, 3, 0, 1), rank(NS, "train", 1, 3, 1, 1));

    GangBinder.Report r = pass();

    assertThat(r.bound()).isEmpty();
    assertThat(bindings(client, NS)).isEmpty();
    assertThat(condition("train-0").getReason()).isEqualTo("WaitingForGang");
    assertThat(condition("train-0").getMessage())
        .isEqualTo("waiting for all 3 pods of the gang, 2 exist");
  }

  @Test
  void bindsNothingOfAGangThatDoesNotFitAndSaysWhyOnEveryPod() {
    createGang("huge", 4, 8);

    GangBinder.Report r = pass();

    assertThat(r.bound()).isEmpty();
    assertThat(bindings(client, NS)).isEmpty();
    PodCondition c = condition("huge-3");
    assertThat(c.getType()).isEqualTo("PodScheduled");
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getReason()).isEqualTo("Unschedulable");
    assertThat(c.getMessage())
        .isEqualTo("the whole cluster holds only 3 of 4 ranks of 8 GPUs, 4 CPUs, 32Gi memory");
  }

  @Test
  void countsPodsOfOtherSchedulersAgainstTheirNodes() {
    create(client, foreign(NS, "web", "n1", 6), foreign(NS, "etl", "n2", 6));
    createGang("pair", 2, 4);

    pass();

    assertThat(bindings(client, NS).values()).containsExactly("n3", "n3");
  }

  @Test
  void deletesTheBoundPodsAndReleasesTheReservationWhenABindFails() {
    createGang("train", 4, 4);
    // Someone bound rank 2 already: the API server answers 409 Conflict to our Binding.
    client
        .bindings()
        .inNamespace(NS)
        .resource(
            new BindingBuilder()
                .withNewMetadata()
                .withName("train-2")
                .endMetadata()
                .withNewTarget()
                .withKind("Node")
                .withName("n3")
                .endTarget()
                .build())
        .create();

    GangBinder.Report r = pass();

    assertThat(r.failed()).containsExactly(NS + "/train#1");
    assertThat(client.pods().inNamespace(NS).withName("train-0").get()).isNull();
    assertThat(client.pods().inNamespace(NS).withName("train-1").get()).isNull();
    assertThat(client.pods().inNamespace(NS).withName("train-2").get()).isNotNull();
    assertThat(binder.reservations()).isEmpty();
  }

  @Test
  void holdsTheReservationUntilThePodsShowUpBoundAndNeverBindsTwice() {
    createGang("a", 2, 8);

    pass();
    assertThat(binder.reservations()).hasSize(2);
    // Before the binds are visible, the reserved nodes stay taken: a second gang goes elsewhere.
    createGang("b", 1, 8);
    GangBinder.Report second = pass();
    assertThat(second.bound()).containsExactly(NS + "/b#1");
    assertThat(bindings(client, NS).get("b-0"))
        .isNotIn(bindings(client, NS).get("a-0"), bindings(client, NS).get("a-1"));

    applyBindings(client, NS);
    GangBinder.Report third = pass();

    assertThat(third.bound()).isEmpty();
    assertThat(binder.reservations()).isEmpty();
  }

  @Test
  void deletesTheBoundPodsOfAGangFoundPartlyBound() {
    // A previous leader died between binds: rank 0 is on n1, rank 1 is not.
    create(
        client,
        new io.fabric8.kubernetes.api.model.PodBuilder(rank(NS, "train", 1, 2, 0, 4))
            .editSpec()
            .withNodeName("n1")
            .endSpec()
            .build());
    create(client, rank(NS, "train", 1, 2, 1, 4));

    GangBinder.Report r = pass();

    assertThat(r.rolledBack()).containsExactly(NS + "/train#1");
    assertThat(client.pods().inNamespace(NS).withName("train-0").get()).isNull();
    assertThat(bindings(client, NS)).isEmpty();
  }

  private PodCondition condition(String pod) {
    Pod p = client.pods().inNamespace(NS).withName(pod).get();
    return p.getStatus().getConditions().stream()
        .filter(c -> "PodScheduled".equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }
}
