package dev.kiln.scheduler.core;

import static dev.kiln.scheduler.core.Fixture.T0;
import static dev.kiln.scheduler.core.Fixture.cluster;
import static dev.kiln.scheduler.core.Fixture.gang;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AdmissionTest {

  @Test
  void rejectsGangLargerThanQuota() {
    SchedulingDecision d =
        cluster()
            .rack("z", "r", 8, 8)
            .queue("research", 16, 1)
            .decide(gang("ml/huge", 4, 8).queue("research").build());

    PendingGang p = d.pending().get(0);
    assertThat(p.reason()).isEqualTo(PendingReason.ExceedsQuota);
    assertThat(p.message())
        .isEqualTo("job needs 32 GPUs but the quota of queue research is 16 GPUs");
  }

  @Test
  void queuesAGangWhenItsQueueQuotaIsUsedEvenIfNodesAreFree() {
    SchedulingDecision d =
        cluster()
            .rack("z", "r", 4, 8)
            .queue("research", 16, 1)
            .running(gang("ml/running", 3, 4).queue("research").build(), "r-1", "r-1", "r-2")
            .decide(gang("ml/next", 1, 8).queue("research").build());

    assertThat(d.admitted()).isEmpty();
    PendingGang p = d.pending().get(0);
    assertThat(p.reason()).isEqualTo(PendingReason.QuotaExhausted);
    assertThat(p.message())
        .isEqualTo("quota of queue research exhausted: 12/16 GPUs used, job needs 8");
  }

  @Test
  void admitsUpToTheQuotaInOneCycle() {
    Gang[] pending = new Gang[6];
    for (int i = 0; i < pending.length; i++) {
      pending[i] = gang("ml/j" + i, 1, 4).queue("research").submitted(T0.plusSeconds(i)).build();
    }
    SchedulingDecision d = cluster().rack("z", "r", 4, 8).queue("research", 16, 1).decide(pending);

    assertThat(d.admitted())
        .extracting(a -> a.gang().job().name())
        .containsExactly("j0", "j1", "j2", "j3");
    assertThat(d.pending()).allMatch(p -> p.reason() == PendingReason.QuotaExhausted);
  }

  @Test
  void sharesCapacityByQueueWeight() {
    List<Gang> pending = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      pending.add(gang("a/j" + i, 1, 1).queue("heavy").submitted(T0.plusSeconds(i)).build());
      pending.add(gang("b/j" + i, 1, 1).queue("light").submitted(T0.plusSeconds(i)).build());
    }
    Fixture f = cluster().rack("z", "r", 3, 4).queue("heavy", 100, 2).queue("light", 100, 1);

    SchedulingDecision d = Fixture.scheduler().decide(f.snapshot(), pending);

    Map<String, Long> perQueue =
        d.admitted().stream()
            .collect(Collectors.groupingBy(a -> a.gang().queue(), Collectors.counting()));
    assertThat(perQueue).containsEntry("heavy", 8L).containsEntry("light", 4L);
  }

  @Test
  void favoursTheQueueFurthestBelowItsShare() {
    // heavy already holds 8 GPUs; light holds none, so light goes first despite a later submission.
    Fixture f =
        cluster()
            .rack("z", "r", 2, 8)
            .queue("heavy", 100, 1)
            .queue("light", 100, 1)
            .running(gang("a/old", 1, 8).queue("heavy").build(), "r-1");

    SchedulingDecision d =
        f.decide(
            gang("a/next", 1, 8).queue("heavy").build(),
            gang("b/next", 1, 8).queue("light").submitted(T0.plusSeconds(60)).build());

    assertThat(d.admitted()).extracting(a -> a.gang().job().toString()).containsExactly("b/next");
  }

  @Test
  void admitsHigherPriorityBeforeEarlierSubmission() {
    SchedulingDecision d =
        cluster()
            .node("n1", 8)
            .decide(
                gang("ml/early", 1, 8).build(),
                gang("ml/urgent", 1, 8).priority(10).submitted(T0.plusSeconds(60)).build());

    assertThat(d.admitted()).extracting(a -> a.gang().job().name()).containsExactly("urgent");
    assertThat(d.pending(JobId.parse("ml/early")).orElseThrow().message())
        .isEqualTo("no node with 8 free GPUs");
  }

  @Test
  void ordersGangsOfOneQueueAndPriorityBySubmissionTime() {
    SchedulingDecision d =
        cluster()
            .node("n1", 8)
            .decide(
                gang("ml/second", 1, 8).submitted(T0.plusSeconds(2)).build(),
                gang("ml/first", 1, 8).submitted(T0.plusSeconds(1)).build(),
                gang("ml/third", 1, 8).submitted(T0.plusSeconds(3)).build());

    assertThat(d.admitted()).extracting(a -> a.gang().job().name()).containsExactly("first");
    assertThat(d.pending())
        .extracting(p -> p.gang().job().name() + "@" + p.position() + "/" + p.queuePosition())
        .containsExactly("second@1/1", "third@2/2");
  }

  @Test
  void reportsHowManyJobsOfHigherPriorityAreAhead() {
    // Three 16-GPU jobs of priority 10 wait for n1; the small job could take n2 now, but that is
    // where the first of them will start, and nothing says when the small one would end.
    Fixture f =
        cluster().rack("z", "r", 2, 8).running(gang("ml/busy", 1, 8).priority(10).build(), "r-1");
    List<Gang> pending = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      pending.add(gang("ml/wide" + i, 2, 8).priority(10).submitted(T0.plusSeconds(i)).build());
    }
    pending.add(gang("ml/small", 1, 4).build());

    SchedulingDecision d = Fixture.scheduler().decide(f.snapshot(), pending);

    PendingGang small = d.pending(JobId.parse("ml/small")).orElseThrow();
    assertThat(d.admitted()).isEmpty();
    assertThat(small.reason()).isEqualTo(PendingReason.BehindHigherPriority);
    assertThat(small.message()).isEqualTo("behind 3 jobs of higher priority");
    assertThat(small.position()).isEqualTo(4);
  }

  @Test
  void reportsAGangOfAMissingQueue() {
    PendingGang p =
        cluster().node("n1", 8).decide(gang("ml/x", 1, 1).queue("nope").build()).pending().get(0);

    assertThat(p.reason()).isEqualTo(PendingReason.UnknownQueue);
    assertThat(p.message()).isEqualTo("queue nope does not exist");
  }

  @Test
  void decidesTheSameWhateverTheOrderOfPendingGangs() {
    Fixture f =
        cluster().rack("z", "r1", 4, 8).rack("z", "r2", 4, 8).queue("a", 40, 1).queue("b", 24, 2);
    List<Gang> pending = new ArrayList<>();
    Random random = new Random(7);
    for (int i = 0; i < 40; i++) {
      pending.add(
          gang("ns/j" + i, 1 + random.nextInt(3), 1 << random.nextInt(4))
              .queue(random.nextBoolean() ? "a" : "b")
              .priority(random.nextInt(3))
              .submitted(T0.plusSeconds(random.nextInt(5)))
              .build());
    }
    SchedulingDecision first = Fixture.scheduler().decide(f.snapshot(), pending);
    Collections.shuffle(pending, new Random(1));

    assertThat(Fixture.scheduler().decide(f.snapshot(), pending)).isEqualTo(first);
    assertThat(first.admitted()).isNotEmpty();
    assertThat(first.pending()).isNotEmpty();
  }

  @Test
  void refusesAJobThatIsBothPendingAndRunning() {
    Gang g = gang("ml/x", 1, 1).build();
    Fixture f = cluster().node("n1", 8).running(g, "n1");

    assertThatThrownBy(() -> f.decide(g)).isInstanceOf(IllegalArgumentException.class);
  }
}
