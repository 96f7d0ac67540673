package dev.kiln.scheduler.core;

import static dev.kiln.scheduler.core.Fixture.cluster;
import static dev.kiln.scheduler.core.Fixture.gang;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PreemptionTest {

  @Test
  void evictsTheWholeLowerPriorityGang() {
    Fixture f =
        cluster().node("n1", 8).node("n2", 8).running(gang("ml/low", 2, 8).build(), "n1", "n2");

    SchedulingDecision d = f.decide(gang("ml/high", 1, 8).priority(10).build());

    assertThat(d.preempted())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.victim().gang().job().name()).isEqualTo("low");
              assertThat(p.victim().rankNodes()).containsExactly("n1", "n2");
              assertThat(p.reason()).isEqualTo("Preempted");
              assertThat(p.message()).isEqualTo("preempted by ml/high (priority 10 > 0)");
            });
    assertThat(d.admitted()).singleElement().satisfies(a -> assertThat(a.rankNodes()).hasSize(1));
  }

  @Test
  void evictsTheSetWithFewestGpus() {
    // Room for 8 GPUs on one node: evict a (8), or b and c (4 + 4), or d (6). d costs least.
    Fixture f =
        cluster()
            .node("n1", 8)
            .node("n2", 8)
            .node("n3", 8)
            .running(gang("ml/a", 1, 8).build(), "n1")
            .running(gang("ml/b", 1, 4).build(), "n2")
            .running(gang("ml/c", 1, 4).build(), "n2")
            .running(gang("ml/d", 1, 6).build(), "n3");

    SchedulingDecision d = f.decide(gang("ml/high", 1, 8).priority(5).build());

    assertThat(d.preempted()).extracting(p -> p.victim().gang().job().name()).containsExactly("d");
    assertThat(d.admitted().get(0).rankNodes()).containsExactly("n3");
  }

  @Test
  void evictsOnlyWhatTheGangCannotDoWithout() {
    // 4 GPUs are free on n1; evicting the 4-GPU gang there is enough for an 8-GPU rank.
    Fixture f =
        cluster()
            .node("n1", 8)
            .node("n2", 8)
            .running(gang("ml/small", 1, 4).build(), "n1")
            .running(gang("ml/tiny", 1, 2).build(), "n2")
            .running(gang("ml/tiny2", 1, 6).build(), "n2");

    SchedulingDecision d = f.decide(gang("ml/high", 1, 8).priority(1).build());

    assertThat(d.preempted())
        .extracting(p -> p.victim().gang().job().name())
        .containsExactly("small");
  }

  @Test
  void neverEvictsGangsOfEqualOrHigherPriority() {
    Fixture f =
        cluster()
            .node("n1", 8)
            .running(gang("ml/same", 1, 4).priority(5).build(), "n1")
            .running(gang("ml/higher", 1, 4).priority(9).build(), "n1");

    SchedulingDecision d = f.decide(gang("ml/new", 1, 8).priority(5).build());

    assertThat(d.preempted()).isEmpty();
    assertThat(d.admitted()).isEmpty();
    assertThat(d.pending().get(0).reason()).isEqualTo(PendingReason.NoFit);
  }

  @Test
  void evictsWithinItsQueueToMakeRoomInTheQuota() {
    // The cluster has room; the queue's quota does not. Only a gang of the same queue helps.
    Fixture f =
        cluster()
            .rack("z", "r", 4, 8)
            .queue("research", 8, 1)
            .queue("other", 100, 1)
            .running(gang("ml/other-low", 1, 8).queue("other").build(), "r-1")
            .running(gang("ml/research-low", 1, 8).queue("research").build(), "r-2");

    SchedulingDecision d =
        f.decide(gang("ml/research-high", 1, 8).queue("research").priority(3).build());

    assertThat(d.preempted())
        .extracting(p -> p.victim().gang().job().name())
        .containsExactly("research-low");
    assertThat(d.admitted()).hasSize(1);
  }

  @Test
  void doesNotEvictAnythingWhenEvictingEverythingWouldNotBeEnough() {
    Fixture f =
        cluster()
            .node("n1", 8)
            .node("n2", 8)
            .running(gang("ml/low", 1, 8).build(), "n1")
            .running(gang("ml/keep", 1, 8).priority(20).build(), "n2");

    SchedulingDecision d = f.decide(gang("ml/high", 2, 8).priority(10).build());

    assertThat(d.preempted()).isEmpty();
    assertThat(d.pending().get(0).reason()).isEqualTo(PendingReason.NoFit);
  }
}
