package dev.kiln.worker.collective.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TcpRingCollectiveTest {

  @Test
  void chunksAimForEightPerSegmentWithinBounds() {
    int max = 256 * 1024; // 1 MiB of floats
    assertThat(TcpRingCollective.chunkFloats(8 << 20, max)).isEqualTo(max);
    assertThat(TcpRingCollective.chunkFloats(1 << 20, max)).isEqualTo(128 * 1024);
    assertThat(TcpRingCollective.chunkFloats(1000, max))
        .isEqualTo(TcpRingCollective.MIN_CHUNK_FLOATS);
    assertThat(TcpRingCollective.chunkFloats(1000, 256)).isEqualTo(256);
    assertThat(TcpRingCollective.chunkFloats(0, max)).isPositive();
  }

  @Test
  void segmentsCoverTheArrayContiguously() {
    assertThat(TcpRingCollective.segStart(10, 4, 0)).isZero();
    assertThat(TcpRingCollective.segStart(10, 4, 1)).isEqualTo(2);
    assertThat(TcpRingCollective.segStart(10, 4, 2)).isEqualTo(5);
    assertThat(TcpRingCollective.segStart(10, 4, 4)).isEqualTo(10);
    assertThat(TcpRingCollective.segStart(1, 4, 3)).isZero();
  }
}
