package dev.kiln.worker.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchSamplerTest {

  @Test
  void permutationIsSeededPerEpochAndCoversEveryRow() {
    BatchSampler s = new BatchSampler(42, 1000, 2, 16);
    int[] p0 = s.permutation(0);
    assertThat(p0).isEqualTo(new BatchSampler(42, 1000, 4, 8).permutation(0));
    assertThat(s.permutation(1)).isNotEqualTo(p0);
    assertThat(new BatchSampler(43, 1000, 2, 16).permutation(0)).isNotEqualTo(p0);
    int[] sorted = p0.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      assertThat(sorted[i]).isEqualTo(i);
    }
  }

  @Test
  void ranksSplitEachGlobalBatchIntoContiguousSlicesInRankOrder() {
    // 2 ranks x 8 and 1 rank x 16 see the same global batches, including the partial last one.
    BatchSampler two = new BatchSampler(7, 100, 2, 8);
    BatchSampler one = new BatchSampler(7, 100, 1, 16);
    assertThat(two.stepsPerEpoch()).isEqualTo(7).isEqualTo(one.stepsPerEpoch());
    for (int step = 0; step < two.stepsPerEpoch(); step++) {
      assertThat(two.sliceStart(step, 0)).isEqualTo(one.sliceStart(step, 0));
      assertThat(two.sliceEnd(step, 0)).isEqualTo(two.sliceStart(step, 1));
      assertThat(two.sliceEnd(step, 1)).isEqualTo(one.sliceEnd(step, 0));
      assertThat(two.batchSize(step)).isEqualTo(one.batchSize(step));
    }
    assertThat(two.batchSize(6)).isEqualTo(4);
    assertThat(two.sliceEnd(0, 0) - two.sliceStart(0, 0)).isEqualTo(8);
  }

  @Test
  void everyRowIsUsedExactlyOncePerEpochForAnyRankCount() {
    for (int ranks = 1; ranks <= 5; ranks++) {
      BatchSampler s = new BatchSampler(3, 37, ranks, 4);
      List<Integer> seen = new ArrayList<>();
      for (int step = 0; step < s.stepsPerEpoch(); step++) {
        for (int r = 0; r < ranks; r++) {
          for (int i = s.sliceStart(step, r); i < s.sliceEnd(step, r); i++) {
            seen.add(i);
          }
        }
      }
      assertThat(seen).hasSize(37).doesNotHaveDuplicates();
    }
  }
}
