package dev.kiln.scheduler.bench;

import static dev.kiln.scheduler.bench.BindEvent.Kind.BIND;
import static dev.kiln.scheduler.bench.BindEvent.Kind.END;
import static dev.kiln.scheduler.bench.BindEvent.Kind.UNBIND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BindLogCheckerTest {
  private static final Map<String, BindLogChecker.GangInfo> GANGS =
      Map.of("ns/a", new BindLogChecker.GangInfo(2, 4), "ns/b", new BindLogChecker.GangInfo(2, 4));
  private static final Map<String, Integer> NODES = Map.of("n1", 4, "n2", 4);

  private static BindEvent e(long t, BindEvent.Kind kind, String job, String pod, String node) {
    return new BindEvent(t, kind, job, pod, node);
  }

  @Test
  void aGangBoundWholeWithinOneInstantIsNeverPartial() {
    List<BindEvent> log =
        List.of(
            e(0, BIND, "ns/a", "a-0", "n1"),
            e(0, BIND, "ns/a", "a-1", "n2"),
            e(10, UNBIND, "ns/a", "a-0", "n1"),
            e(10, UNBIND, "ns/a", "a-1", "n2"),
            e(20, END, "", "", ""));

    BindLogChecker.Report r = BindLogChecker.check(log, GANGS, NODES);

    assertThat(r.partialGangs()).isZero();
    assertThat(r.deadlocks()).isZero();
    assertThat(r.podsBound()).isEqualTo(2);
    // 8 of 8 GPUs for 10 of 20 ms.
    assertThat(r.gpuUtilization()).isCloseTo(0.5, within(1e-9));
    assertThat(r.usefulGpuUtilization()).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void aGangHalfBoundAtTheEndOfAnInstantIsPartialAndIfItStaysSoADeadlock() {
    List<BindEvent> log =
        List.of(
            e(0, BIND, "ns/a", "a-0", "n1"),
            e(0, BIND, "ns/b", "b-0", "n2"),
            e(100, END, "", "", ""));

    BindLogChecker.Report r = BindLogChecker.check(log, GANGS, NODES);

    assertThat(r.partialGangs()).isEqualTo(2);
    assertThat(r.deadlocks()).isEqualTo(2);
    assertThat(r.gpuUtilization()).isCloseTo(1.0, within(1e-9));
    assertThat(r.usefulGpuUtilization()).isZero();
  }

  @Test
  void aGangCompletedLaterWasStillPartialButIsNoDeadlock() {
    List<BindEvent> log =
        List.of(
            e(0, BIND, "ns/a", "a-0", "n1"),
            e(5, BIND, "ns/a", "a-1", "n2"),
            e(10, END, "", "", ""));

    BindLogChecker.Report r = BindLogChecker.check(log, GANGS, NODES);

    assertThat(r.partialGangs()).isEqualTo(1);
    assertThat(r.deadlocks()).isZero();
  }

  @Test
  void flagsBindsThatOvercommitANodeOrRepeatAPod() {
    List<BindEvent> log =
        List.of(
            e(0, BIND, "ns/a", "a-0", "n1"),
            e(0, BIND, "ns/a", "a-1", "n1"),
            e(0, BIND, "ns/a", "a-1", "n2"),
            e(0, UNBIND, "ns/b", "b-0", "n1"),
            e(1, END, "", "", ""));

    BindLogChecker.Report r = BindLogChecker.check(log, GANGS, NODES);

    assertThat(r.overcommittedNodes()).isEqualTo(1);
    assertThat(r.invalidEvents()).isEqualTo(2);
  }
}
