package dev.kiln.endpoint.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WeightedPickerTest {

  @Test
  void splitsEveryHundredRequestsExactlyByWeight() {
    WeightedPicker picker =
        new WeightedPicker(
            new RouteTable(
                List.of(
                    new RouteTable.Version("stable", 90, List.of("a:1", "b:2")),
                    new RouteTable.Version("canary", 10, List.of("c:3")))));
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      counts.merge(picker.next().version(), 1, Integer::sum);
    }
    assertThat(counts).containsEntry("stable", 900).containsEntry("canary", 100);
  }

  @Test
  void skipsVersionsWithoutWeightOrReplicas() {
    WeightedPicker picker =
        new WeightedPicker(
            new RouteTable(
                List.of(
                    new RouteTable.Version("old", 0, List.of("a:1")),
                    new RouteTable.Version("warming", 50, List.of()),
                    new RouteTable.Version("new", 100, List.of("b:2")))));
    for (int i = 0; i < 10; i++) {
      assertThat(picker.next()).isEqualTo(new WeightedPicker.Pick("new", "b:2"));
    }
  }

  @Test
  void retriesAnotherReplicaOfTheSameVersionFirst() {
    WeightedPicker picker =
        new WeightedPicker(
            new RouteTable(
                List.of(
                    new RouteTable.Version("stable", 50, List.of("a:1", "b:2")),
                    new RouteTable.Version("canary", 50, List.of("c:3")))));
    assertThat(picker.retry("stable", Set.of("a:1")).backend()).isEqualTo("b:2");
    assertThat(picker.retry("canary", Set.of("c:3")).version()).isEqualTo("stable");
    assertThat(picker.retry("canary", Set.of("a:1", "b:2", "c:3"))).isNull();
  }

  @Test
  void rejectsRoutesThatAreNotHostAndPort() {
    assertThatThrownBy(
            () ->
                RouteTable.fromJson(
                    new JsonObject(
                        "{\"versions\":[{\"name\":\"v\",\"weight\":1,\"backends\":[\"nope\"]}]}")))
        .hasMessageContaining("'nope' is not host:port");
    assertThatThrownBy(() -> RouteTable.fromJson(new JsonObject("{}")))
        .hasMessageContaining("expected {\"versions\"");
  }
}
