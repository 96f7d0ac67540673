package dev.kiln.scheduler.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.scheduler.core.Resources;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodResourcesTest {

  @Test
  void readsRequestsAndTakesGpusFromLimitsWhenOnlyLimitsAreSet() {
    Pod p = K8sFixture.rank("ns", "job", 1, 2, 0, 4);

    assertThat(PodResources.requests(p)).isEqualTo(new Resources(4000, 32L << 30, 4));
  }

  @Test
  void sumsContainersAndCountsTheLargestInitContainerWhenItIsLarger() {
    Pod p =
        new PodBuilder(K8sFixture.rank("ns", "job", 1, 2, 0, 0))
            .editSpec()
            .addNewContainer()
            .withName("sidecar")
            .withNewResources()
            .withRequests(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("256Mi")))
            .endResources()
            .endContainer()
            .addNewInitContainer()
            .withName("fetch")
            .withNewResources()
            .withRequests(Map.of("cpu", new Quantity("8"), "memory", new Quantity("1Gi")))
            .endResources()
            .endInitContainer()
            .endSpec()
            .build();

    assertThat(PodResources.requests(p))
        .isEqualTo(new Resources(8000, (32L << 30) + (256L << 20), 0));
  }

  @Test
  void readsNodeAllocatableAndTopologyLabels() {
    dev.kiln.scheduler.core.Node n =
        PodResources.toCore(K8sFixture.node("n1", 8, "zone-a", "rack-3"), "kiln.dev/rack");

    assertThat(n.allocatable()).isEqualTo(new Resources(64_000, 512L << 30, 8));
    assertThat(n.zone()).isEqualTo("zone-a");
    assertThat(n.rack()).isEqualTo("rack-3");
  }

  @Test
  void skipsCordonedAndNotReadyNodes() {
    var cordoned =
        new io.fabric8.kubernetes.api.model.NodeBuilder(K8sFixture.node("n1", 8, "z", "r"))
            .withNewSpec()
            .withUnschedulable(true)
            .endSpec()
            .build();
    var notReady =
        new io.fabric8.kubernetes.api.model.NodeBuilder(K8sFixture.node("n2", 8, "z", "r"))
            .editStatus()
            .editFirstCondition()
            .withStatus("False")
            .endCondition()
            .endStatus()
            .build();

    assertThat(PodResources.schedulable(cordoned)).isFalse();
    assertThat(PodResources.schedulable(notReady)).isFalse();
    assertThat(PodResources.schedulable(K8sFixture.node("n3", 8, "z", "r"))).isTrue();
  }
}
