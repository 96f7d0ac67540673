package dev.kiln.worker.nccl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.worker.collective.Collective;
import dev.kiln.worker.collective.CollectiveConfig;
import dev.kiln.worker.collective.Collectives;
import dev.kiln.worker.collective.ReduceOp;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * NCCL plumbing at world size 1 on a real GPU: unique id, communicator, all-reduce (sum, avg,
 * float32, bf16), broadcast, abort, and the {@code nccl} collective over the TCP rendezvous.
 * Skipped, with the reason printed, where NCCL or a GPU is missing.
 */
class NcclGpuTest {
  private static String unavailable;

  @BeforeAll
  static void probe() {
    unavailable = new NcclProvider().unavailableReason();
    if (!unavailable.isEmpty()) {
      System.out.println("NcclGpuTest skipped: " + unavailable);
    }
  }

  private static void needGpu() {
    Assumptions.assumeTrue(unavailable.isEmpty(), () -> "no NCCL/GPU here: " + unavailable);
  }

  @Test
  void allReducesAndBroadcastsFloat32AndBf16AtWorldSizeOne() {
    needGpu();
    System.out.println("NCCL " + Nccl.version() + " from " + Nccl.load());
    try (NcclCommunicator comm = Nccl.communicator(1, Nccl.uniqueId(), 0, 0);
        DeviceArray a = comm.allocate(4 * 1000)) {
      float[] data = new float[1000];
      for (int i = 0; i < data.length; i++) {
        data[i] = i * 0.5f;
      }
      a.upload(data, 0, data.length);
      comm.allReduce(a.pointer(), a.pointer(), 1000, Nccl.DataType.FLOAT32, Nccl.Op.SUM);
      comm.allReduce(a.pointer(), a.pointer(), 1000, Nccl.DataType.FLOAT32, Nccl.Op.AVG);
      comm.broadcast(a.pointer(), a.pointer(), 1000, Nccl.DataType.FLOAT32, 0);
      float[] back = new float[1000];
      a.download(back, 0, back.length);
      assertThat(back).containsExactly(data);

      byte[] bf16 = {(byte) 0x80, 0x3f, 0x00, 0x40}; // 1.0, 2.0 little-endian bfloat16
      a.upload(bf16);
      comm.allReduce(a.pointer(), a.pointer(), 2, Nccl.DataType.BFLOAT16, Nccl.Op.SUM);
      byte[] out = new byte[4];
      a.download(out);
      assertThat(out).containsExactly(bf16);
      assertThat(comm.asyncError()).isNull();
    }
  }

  @Test
  void anAbortedCommunicatorFailsFast() {
    needGpu();
    NcclCommunicator comm = Nccl.communicator(1, Nccl.uniqueId(), 0, 0);
    DeviceArray a = comm.allocate(16);
    comm.abort();
    assertThatThrownBy(
            () -> comm.allReduce(a.pointer(), a.pointer(), 4, Nccl.DataType.FLOAT32, Nccl.Op.SUM))
        .hasMessageContaining("after close or abort");
  }

  @Test
  void theNcclCollectiveExchangesTheUniqueIdAtRendezvous() {
    needGpu();
    CollectiveConfig one = CollectiveConfig.fromEnv(Map.of("MASTER_PORT", "0"));
    try (Collective c = Collectives.open("nccl", one)) {
      assertThat(c.backend()).isEqualTo("nccl");
      float[] x = {1f, 2f, 3f};
      c.allReduce(x, ReduceOp.SUM);
      c.broadcast(x, 0);
      c.barrier();
      assertThat(x).containsExactly(1f, 2f, 3f);
      assertThat(c.failure()).isNull();
    }
  }
}
