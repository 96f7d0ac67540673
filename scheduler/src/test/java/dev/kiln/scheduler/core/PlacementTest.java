package dev.kiln.scheduler.core;

import static dev.kiln.scheduler.core.Fixture.T0;
import static dev.kiln.scheduler.core.Fixture.cluster;
import static dev.kiln.scheduler.core.Fixture.gang;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlacementTest {

  @Test
  void placesEveryRankOrNone() {
    SchedulingDecision d =
        cluster()
            .node("n1", 8)
            .node("n2", 4)
            .running(gang("ml/other", 1, 4).build(), "n1")
            .decide(gang("ml/big", 3, 4).build());

    assertThat(d.admitted()).isEmpty();
    PendingGang p = d.pending(JobId.parse("ml/big")).orElseThrow();
    assertThat(p.reason()).isEqualTo(PendingReason.NoFit);
    assertThat(p.message())
        .isEqualTo("only 2 of 3 ranks of 4 GPUs, 16 CPUs, 128Gi memory fit in free capacity");
  }

  @Test
  void reportsAGangNoEmptyClusterCouldHoldAsUnschedulable() {
    SchedulingDecision d =
        cluster()
            .node("n1", 4)
            .node("n2", 4)
            .decide(gang("ml/big", 3, 4).build(), gang("ml/huge-rank", 1, 16).build());

    assertThat(d.pending(JobId.parse("ml/big")).orElseThrow().message())
        .isEqualTo("the whole cluster holds only 2 of 3 ranks of 4 GPUs, 16 CPUs, 128Gi memory");
    assertThat(d.pending(JobId.parse("ml/huge-rank")).orElseThrow().message())
        .isEqualTo("no node can hold a rank of 16 GPUs, 64 CPUs, 512Gi memory");
  }

  @Test
  void packsRanksOntoOneNodeWhenOneHoldsThemAll() {
    SchedulingDecision d =
        cluster().node("n1", 8).node("n2", 8).decide(gang("ml/pair", 2, 4).build());

    assertThat(d.admitted())
        .singleElement()
        .extracting(Admission::rankNodes)
        .isEqualTo(List.of("n1", "n1"));
  }

  @Test
  void prefersTheNodeWithFewestFreeGpusThatFits() {
    Fixture f =
        cluster()
            .node("a", 8)
            .node("b", 8)
            .node("c", 8)
            .running(gang("ml/six", 1, 6).build(), "b")
            .running(gang("ml/four", 1, 4).build(), "c");

    assertThat(f.decide(gang("ml/two", 1, 2).build()).admitted().get(0).rankNodes())
        .containsExactly("b");
    assertThat(f.decide(gang("ml/three", 1, 3).build()).admitted().get(0).rankNodes())
        .containsExactly("c");
  }

  @Test
  void leavesWholeNodesFreeForLargerGangs() {
    // First-fit would put the 4-GPU gang on n1 and leave no node for the 8-GPU one.
    Fixture f = cluster().node("n1", 8).node("n2", 8).running(gang("ml/half", 1, 4).build(), "n2");

    SchedulingDecision d =
        f.decide(
            gang("ml/small", 1, 4).build(),
            gang("ml/large", 1, 8).submitted(T0.plusSeconds(1)).build());

    assertThat(d.admission(JobId.parse("ml/small")).orElseThrow().rankNodes())
        .containsExactly("n2");
    assertThat(d.admission(JobId.parse("ml/large")).orElseThrow().rankNodes())
        .containsExactly("n1");
  }

  @Test
  void packsAGangIntoOneRackRatherThanSpreadingIt() {
    // rack r1 and r2 each have one free node; r3 (another zone) has two.
    Fixture f =
        cluster()
            .rack("zone-a", "r1", 2, 8)
            .rack("zone-a", "r2", 2, 8)
            .rack("zone-b", "r3", 2, 8)
            .running(gang("ml/x", 1, 8).build(), "r1-2")
            .running(gang("ml/y", 1, 8).build(), "r2-1");

    SchedulingDecision d = f.decide(gang("ml/pair", 2, 8).build());

    assertThat(d.admitted().get(0).rankNodes()).containsExactly("r3-1", "r3-2");
  }

  @Test
  void keepsAGangInOneZoneWhenNoRackHoldsIt() {
    Fixture f =
        cluster()
            .rack("zone-a", "r1", 2, 8)
            .rack("zone-b", "r2", 2, 8)
            .rack("zone-b", "r3", 2, 8)
            .running(gang("ml/x", 1, 8).build(), "r2-1");

    SchedulingDecision d = f.decide(gang("ml/trio", 3, 8).build());

    assertThat(d.admitted().get(0).rankNodes()).containsExactlyInAnyOrder("r2-2", "r3-1", "r3-2");
  }

  @Test
  void choosesTheTightestRackSoAnEmptyRackStaysWhole() {
    // r1 has 12 free GPUs, r2 16: a 12-GPU gang goes to r1 and a 16-GPU gang still fits in r2.
    Fixture f =
        cluster()
            .rack("zone-a", "r1", 2, 8)
            .rack("zone-a", "r2", 2, 8)
            .running(gang("ml/x", 1, 4).build(), "r1-2");

    SchedulingDecision d =
        f.decide(
            gang("ml/twelve", 3, 4).build(),
            gang("ml/sixteen", 2, 8).submitted(T0.plusSeconds(1)).build());

    assertThat(d.admission(JobId.parse("ml/twelve")).orElseThrow().rankNodes())
        .allMatch(n -> n.startsWith("r1-"));
    assertThat(d.admission(JobId.parse("ml/sixteen")).orElseThrow().rankNodes())
        .containsExactly("r2-1", "r2-2");
  }

  @Test
  void spreadsOverZonesOnlyWhenNoZoneHoldsTheGang() {
    Fixture f = cluster().rack("zone-a", "r1", 2, 8).rack("zone-b", "r2", 2, 8);

    SchedulingDecision d = f.decide(gang("ml/wide", 4, 8).build());

    assertThat(d.admitted().get(0).rankNodes())
        .containsExactlyInAnyOrder("r1-1", "r1-2", "r2-1", "r2-2");
  }

  @Test
  void placeGivesNodesForAnAdmittedGangOnFreeCapacity() {
    Fixture f = cluster().node("n1", 8).node("n2", 8).running(gang("ml/x", 1, 8).build(), "n1");

    assertThat(Fixture.scheduler().place(f.snapshot(), gang("ml/y", 2, 4).build()))
        .contains(List.of("n2", "n2"));
    assertThat(Fixture.scheduler().place(f.snapshot(), gang("ml/z", 3, 4).build())).isEmpty();
  }
}
