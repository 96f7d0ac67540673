package dev.kiln.scheduler.core;

import static dev.kiln.scheduler.core.Fixture.T0;
import static dev.kiln.scheduler.core.Fixture.cluster;
import static dev.kiln.scheduler.core.Fixture.gang;
import static dev.kiln.scheduler.core.Fixture.hours;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackfillTest {

  /** n1 is busy for at most 2 hours; the head needs both nodes, so it can start in 2 hours. */
  private static Fixture headWaitsTwoHours() {
    return cluster()
        .node("n1", 8)
        .node("n2", 8)
        .running(gang("ml/busy", 1, 8).maxRuntime(hours(2)).build(), "n1");
  }

  private static Gang head() {
    return gang("ml/head", 2, 8).build();
  }

  @Test
  void backfillsAGangCertainToEndBeforeTheHeadCanStart() {
    SchedulingDecision d =
        headWaitsTwoHours()
            .decide(
                head(),
                gang("ml/short", 1, 8).maxRuntime(hours(1)).submitted(T0.plusSeconds(1)).build());

    Admission a = d.admission(JobId.parse("ml/short")).orElseThrow();
    assertThat(a.rankNodes()).containsExactly("n2");
    assertThat(a.backfilled()).isTrue();
    assertThat(d.pending(JobId.parse("ml/head")).orElseThrow().reason())
        .isEqualTo(PendingReason.NoFit);
  }

  @Test
  void refusesABackfillThatCouldDelayTheHead() {
    SchedulingDecision d =
        headWaitsTwoHours()
            .decide(
                head(),
                gang("ml/long", 1, 8).maxRuntime(hours(3)).submitted(T0.plusSeconds(1)).build(),
                gang("ml/unbounded", 1, 4).submitted(T0.plusSeconds(2)).build());

    assertThat(d.admitted()).isEmpty();
    PendingGang longOne = d.pending(JobId.parse("ml/long")).orElseThrow();
    assertThat(longOne.reason()).isEqualTo(PendingReason.WaitingForReservation);
    assertThat(longOne.message())
        .isEqualTo("capacity is reserved for ml/head, which is ahead in queue order");
    assertThat(d.pending(JobId.parse("ml/unbounded")).orElseThrow().reason())
        .isEqualTo(PendingReason.WaitingForReservation);
  }

  @Test
  void backfillsOnlyWhereTheHeadWillNotNeedIt() {
    // The head (2 x 8) can start in 1 hour on n2 and n3; the 4 free GPUs of n4 are not in its way.
    Fixture f =
        cluster()
            .node("n1", 8)
            .node("n2", 8)
            .node("n3", 8)
            .node("n4", 8)
            .running(gang("ml/a", 1, 8).maxRuntime(hours(5)).build(), "n1")
            .running(gang("ml/b", 1, 4).maxRuntime(hours(1)).build(), "n2")
            .running(gang("ml/c", 1, 8).maxRuntime(hours(1)).build(), "n3")
            .running(gang("ml/d", 1, 4).maxRuntime(hours(5)).build(), "n4");

    SchedulingDecision d =
        f.decide(
            head(),
            gang("ml/fill", 1, 4).submitted(T0.plusSeconds(1)).build(),
            gang("ml/fill2", 1, 4).submitted(T0.plusSeconds(2)).build());

    assertThat(d.admission(JobId.parse("ml/fill")).orElseThrow().rankNodes()).containsExactly("n4");
    assertThat(d.pending(JobId.parse("ml/fill2")).orElseThrow().reason())
        .isEqualTo(PendingReason.WaitingForReservation);
  }

  @Test
  void protectsAQueueHeadWaitingOnQuotaFromLaterGangsOfItsQueue() {
    // research may hold 24 GPUs and holds 8 for at most 2 more hours; its 20-GPU head waits for
    // them. 8 more GPUs for 1 hour do not delay the head; 8 more with no end in sight would.
    Fixture f =
        cluster()
            .rack("z", "r", 5, 8)
            .queue("research", 24, 1)
            .running(
                gang("ml/held", 2, 4).queue("research").maxRuntime(hours(2)).build(), "r-1", "r-1");

    SchedulingDecision d =
        f.decide(
            gang("ml/head", 5, 4).queue("research").build(),
            gang("ml/quick", 2, 4)
                .queue("research")
                .maxRuntime(hours(1))
                .submitted(T0.plusSeconds(1))
                .build(),
            gang("ml/slow", 2, 4).queue("research").submitted(T0.plusSeconds(2)).build());

    assertThat(d.admitted()).extracting(a -> a.gang().job().name()).containsExactly("quick");
    assertThat(d.pending(JobId.parse("ml/head")).orElseThrow().message())
        .isEqualTo("quota of queue research exhausted: 8/24 GPUs used, job needs 20");
    PendingGang slow = d.pending(JobId.parse("ml/slow")).orElseThrow();
    assertThat(slow.reason()).isEqualTo(PendingReason.WaitingForReservation);
    assertThat(slow.message())
        .isEqualTo(
            "quota of queue research is reserved for ml/head, which is ahead in queue order");
  }
}
