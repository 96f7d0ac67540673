package dev.kiln.scheduler.core;

import static dev.kiln.scheduler.core.Fixture.cluster;
import static dev.kiln.scheduler.core.Fixture.gang;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.scheduler.bench.NaivePodPlacer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GangAtomicityTest {

  /** Two 8-GPU jobs (2 ranks of 4 GPUs) on two 4-GPU nodes: room for exactly one of them. */
  private static final Gang A = gang("ml/a", 2, 4).build();

  private static final Gang B = gang("ml/b", 2, 4).build();

  private static Fixture eightFreeGpus() {
    return cluster().node("n1", 4).node("n2", 4);
  }

  @Test
  void naivePerPodPlacerHalfPlacesBothGangsAndDeadlocks() {
    NaivePodPlacer naive = new NaivePodPlacer(eightFreeGpus().snapshot().topology().nodes());
    // Two controllers create their pods at the same time, so the pods reach the queue interleaved.
    List<Optional<String>> bound = new ArrayList<>();
    for (Gang g : List.of(A, B, A, B)) {
      bound.add(naive.bind(g.perRank()));
    }

    assertThat(bound)
        .containsExactly(Optional.of("n1"), Optional.of("n2"), Optional.empty(), Optional.empty());
    // Each gang holds one rank and waits for the other forever: neither can start or finish.
    assertThat(naive.bind(A.perRank())).isEmpty();
    assertThat(naive.bind(B.perRank())).isEmpty();
  }

  @Test
  void gangSchedulerStartsOneWholeGangAndQueuesTheOtherWithNoPods() {
    SchedulingDecision d = eightFreeGpus().decide(B, A);

    assertThat(d.admitted())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.gang()).isEqualTo(A);
              assertThat(a.rankNodes()).containsExactlyInAnyOrder("n1", "n2");
            });
    assertThat(d.pending())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.gang()).isEqualTo(B);
              assertThat(p.reason()).isEqualTo(PendingReason.NoFit);
              assertThat(p.message())
                  .isEqualTo(
                      "only 0 of 2 ranks of 4 GPUs, 16 CPUs, 128Gi memory fit in free capacity");
            });
  }

  @Test
  void theQueuedGangStartsWholeOnceTheFirstReleasesItsNodes() {
    Fixture running = eightFreeGpus().running(A, "n1", "n2");
    assertThat(running.decide(B).admitted()).isEmpty();

    SchedulingDecision after = eightFreeGpus().decide(B);
    assertThat(after.admitted())
        .singleElement()
        .satisfies(a -> assertThat(a.rankNodes()).hasSize(2));
  }
}
