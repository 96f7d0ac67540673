package dev.kiln.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NpyArrayTest {

  @Test
  void readsFloat32MatrixInCOrder() {
    byte[] f = Npy.of("<f4", new int[] {2, 3}, false, new double[] {1, 2, 3, 4, 5, 6.5});
    NpyArray a = NpyArray.parse("X.npy", f);
    assertThat(a.shape()).containsExactly(2, 3);
    assertThat(a.data()).containsExactly(1, 2, 3, 4, 5, 6.5f);
    assertThat(a.isIntegral()).isFalse();
  }

  @Test
  void readsFloat64AndIntegerVectors() {
    assertThat(
            NpyArray.parse("X", Npy.of("<f8", new int[] {2}, false, new double[] {0.25, -3}))
                .data())
        .containsExactly(0.25f, -3f);
    NpyArray y = NpyArray.parse("y", Npy.of("<i8", new int[] {3}, false, new double[] {0, 9, 4}));
    assertThat(y.data()).containsExactly(0, 9, 4);
    assertThat(y.isIntegral()).isTrue();
    assertThat(
            NpyArray.parse("y", Npy.of("|u1", new int[] {2}, false, new double[] {200, 1})).data())
        .containsExactly(200, 1);
  }

  @Test
  void refusesUnsupportedDtypeNamingIt() {
    byte[] f = Npy.of("<f2", new int[] {2}, false, new double[] {1, 2});
    assertThatThrownBy(() -> NpyArray.parse("s3://b/X.npy", f))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("s3://b/X.npy has dtype '<f2'")
        .hasMessageContaining("float32 or float64");
    byte[] c = Npy.of("<c8", new int[] {1}, false, new double[] {1});
    assertThatThrownBy(() -> NpyArray.parse("X.npy", c)).hasMessageContaining("'<c8'");
  }

  @Test
  void refusesFortranOrderAndTruncatedFiles() {
    byte[] f = Npy.of("<f4", new int[] {2, 2}, true, new double[] {1, 2, 3, 4});
    assertThatThrownBy(() -> NpyArray.parse("X.npy", f)).hasMessageContaining("Fortran order");
    byte[] ok = Npy.of("<f4", new int[] {2, 2}, false, new double[] {1, 2, 3, 4});
    byte[] cut = java.util.Arrays.copyOf(ok, ok.length - 3);
    assertThatThrownBy(() -> NpyArray.parse("X.npy", cut)).hasMessageContaining("truncated");
    assertThatThrownBy(() -> NpyArray.parse("X.npy", new byte[] {1, 2, 3}))
        .hasMessageContaining("not a NumPy .npy file");
  }
}
