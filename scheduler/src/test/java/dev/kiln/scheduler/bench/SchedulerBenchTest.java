package dev.kiln.scheduler.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Small streams through both schedulers; the checker reads only their bind logs. */
class SchedulerBenchTest {
  private static final Workload STREAM = WorkloadGenerator.generate(48, 8, 800, 3);

  @Test
  void coreNeverBindsPartOfAGangAndFinishesEveryJob() {
    CoreSimulation core = new CoreSimulation(STREAM);
    Simulation.Result r = core.run();
    BindLogChecker.Report check =
        BindLogChecker.check(r.log(), STREAM.gangInfo(), STREAM.nodeGpus());

    assertThat(check.partialGangs()).isZero();
    assertThat(check.deadlocks()).isZero();
    assertThat(check.invalidEvents()).isZero();
    assertThat(check.overcommittedNodes()).isZero();
    assertThat(r.completed()).isEqualTo(800);
    // The stream is built so that every mechanism is exercised.
    assertThat(r.evictions()).isPositive();
    assertThat(core.backfilled()).isPositive();
  }

  @Test
  void naivePerPodPlacerBindsPartialGangs() {
    Simulation.Result r = new NaiveSimulation(STREAM).run();
    BindLogChecker.Report check =
        BindLogChecker.check(r.log(), STREAM.gangInfo(), STREAM.nodeGpus());

    assertThat(check.partialGangs()).isPositive();
    assertThat(check.invalidEvents()).isZero();
    assertThat(check.overcommittedNodes()).isZero();
  }

  @Test
  void theSameSeedGivesTheSameBindLog() {
    Workload w = WorkloadGenerator.generate(16, 8, 200, 11);

    assertThat(new CoreSimulation(w).run().log()).isEqualTo(new CoreSimulation(w).run().log());
  }

  @Test
  void printsOneJsonObjectWithTheContractFieldsOnTheLastLine() {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      SchedulerBench.main(new String[] {"--nodes", "16", "--gpus-per-node", "8", "--gangs", "150"});
    } finally {
      System.setOut(original);
    }
    String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
    String last = lines[lines.length - 1];

    assertThat(last).startsWith("{").endsWith("}");
    for (String field :
        new String[] {"pods_per_sec", "partial_gangs", "deadlocks", "gpu_utilization", "naive"}) {
      assertThat(last).contains("\"" + field + "\":");
    }
    assertThat(last)
        .matches(
            ".*\"naive\":\\{\"pods_per_sec\":[0-9.]+,\"partial_gangs\":\\d+,\"deadlocks\":\\d+,\"gpu_utilization\":[0-9.]+.*");
  }

  @Test
  void writesNestedObjectsNumbersAndEscapedStrings() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("a", 1);
    m.put("b", 0.123456);
    m.put("c", "x\"y");
    m.put("d", Map.of("e", 2L));

    assertThat(Json.write(m)).isEqualTo("{\"a\":1,\"b\":0.1235,\"c\":\"x\\\"y\",\"d\":{\"e\":2}}");
  }
}
