package dev.kiln.worker.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AllReduceBenchTest {

  @Test
  void ncclIsRefusedUpFrontWithTheReasonWhereItCannotRun() {
    String why = new dev.kiln.worker.nccl.NcclProvider().unavailableReason();
    org.junit.jupiter.api.Assumptions.assumeFalse(why.isEmpty(), "NCCL and a GPU are present");
    AllReduceBench.Options o =
        AllReduceBench.Options.parse(new String[] {"--backend", "nccl", "--ranks", "2"});
    assertThat(AllReduceBench.refusal(o))
        .isEqualTo("collective backend 'nccl' is not available: " + why);
    assertThat(AllReduceBench.refusal(AllReduceBench.Options.parse(new String[0]))).isNull();
  }

  @Test
  void sizesUseBinaryUnits() {
    assertThat(AllReduceBench.parseSize("64MB")).isEqualTo(64L << 20);
    assertThat(AllReduceBench.parseSize("1mb")).isEqualTo(1L << 20);
    assertThat(AllReduceBench.parseSize("512KB")).isEqualTo(512L << 10);
    assertThat(AllReduceBench.parseSize("4096")).isEqualTo(4096);
    assertThatThrownBy(() -> AllReduceBench.parseSize("big")).hasMessageContaining("--size");
  }

  @Test
  void busBandwidthCountsTwoTimesNMinusOneOverNOfTheSize() {
    AllReduceBench.Options o =
        AllReduceBench.Options.parse(new String[] {"--ranks", "4", "--size", "1MB"});
    var r = AllReduceBench.result(o, new double[] {3, 1, 2});
    assertThat(r.path("median_ms").asDouble()).isEqualTo(2);
    assertThat(r.path("busbw_gbps").asDouble())
        .isCloseTo((1 << 20) * 1.5 / 0.002 / 1e9, org.assertj.core.data.Offset.offset(1e-3));
    assertThat(r.path("backend").asText()).isEqualTo("tcp");
  }

  @Test
  void unknownOptionsAreRefused() {
    assertThatThrownBy(() -> AllReduceBench.Options.parse(new String[] {"--rank", "2"}))
        .hasMessageContaining("unknown option --rank");
  }
}
