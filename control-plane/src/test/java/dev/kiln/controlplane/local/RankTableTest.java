package dev.kiln.controlplane.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RankTableTest {
  @TempDir Path home;

  private static RankRecord rank(String uid, int attempt, int rank) {
    return new RankRecord(
        "job-" + attempt + "-" + rank,
        "default",
        "job",
        uid,
        attempt,
        rank,
        40000,
        40001 + rank,
        "/logs/rank-" + rank + ".log",
        "/data/rank-" + rank,
        false,
        null,
        Instant.parse("2026-05-01T10:00:00Z"),
        null,
        null,
        false);
  }

  @Test
  void recordsSurviveARestartWithTheirProcessHandles() {
    RankTable table = new RankTable(home);
    LocalProcesses.Handle handle =
        new LocalProcesses.Handle(4242, Instant.parse("2026-05-01T10:00:01.123Z"), "/l", "/l.exit");
    table.put(rank("u1", 1, 1).withProcess(handle));
    table.put(rank("u1", 1, 0));
    table.put(rank("u2", 2, 0));

    RankTable afterRestart = new RankTable(home);

    assertThat(afterRestart.of("u1")).extracting(RankRecord::rank).containsExactly(0, 1);
    assertThat(afterRestart.get("u1", "job-1-1"))
        .hasValueSatisfying(r -> assertThat(r.process()).isEqualTo(handle));
    assertThat(afterRestart.all()).hasSize(3);
  }

  @Test
  void removingTheLastRankOfAJobForgetsTheJob() {
    RankTable table = new RankTable(home);
    RankRecord r = rank("u1", 1, 0);
    table.put(r);
    table.put(r.withStopRequested(Instant.parse("2026-05-01T10:01:00Z")));
    assertThat(table.of("u1")).singleElement().satisfies(x -> assertThat(x.stopping()).isTrue());

    table.remove(r);

    assertThat(table.of("u1")).isEmpty();
    assertThat(home.resolve("u1")).doesNotExist();
  }
}
