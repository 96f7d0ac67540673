package dev.kiln.worker.nccl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.worker.collective.CollectiveConfig;
import dev.kiln.worker.collective.Collectives;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kiln's NCCL binding off the GPU: it builds and loads, and missing pieces are named. */
class NcclBindingTest {

  @Test
  void theNativeLibraryBuiltByMavenLoads() {
    NativeLoader.ensureLoaded();
    assertThat(NcclBindingTest.class.getResource(NativeLoader.RESOURCE)).isNotNull();
  }

  @Test
  void aMissingOrBogusNcclIsReportedWithEverythingSearched(@TempDir Path dir) throws Exception {
    NativeLoader.ensureLoaded();
    Path bogus = Files.writeString(dir.resolve("libnccl.so.2"), "not a library");
    assertThatThrownBy(
            () -> NcclNative.loadNccl(new String[] {"/nonexistent/libnccl.so.2", bogus.toString()}))
        .isInstanceOf(NcclException.class)
        .hasMessageContaining("NCCL (libnccl.so.2) could not be loaded; searched: ")
        .hasMessageContaining("/nonexistent/libnccl.so.2 (")
        .hasMessageContaining(bogus + " (")
        .hasMessageContaining("KILN_NCCL_LIB");
  }

  @Test
  void aLibraryWithoutNcclSymbolsIsRefusedByName() {
    NativeLoader.ensureLoaded();
    assertThatThrownBy(() -> NcclNative.loadNccl(new String[] {"libm.so.6"}))
        .isInstanceOf(NcclException.class)
        .hasMessageContaining("libm.so.6 has no symbol ncclGetVersion");
  }

  @Test
  void theSearchGoesExplicitPathThenLoaderThenPyTorch(@TempDir Path dir) throws Exception {
    Path site = dir.resolve("lib/python3.11/site-packages/nvidia/nccl/lib");
    Files.createDirectories(site);
    Files.writeString(site.resolve("libnccl.so.2"), "");
    assertThat(
            NativeLoader.ncclCandidates(
                Map.of("KILN_NCCL_LIB", dir.toString(), "VIRTUAL_ENV", dir.toString())))
        .startsWith(dir.resolve("libnccl.so.2").toString(), "libnccl.so.2")
        .contains(site.resolve("libnccl.so.2").toString());
  }

  @Test
  void withoutNcclTheBackendIsUnavailableAndSaysWhy() {
    String why = new NcclProvider().unavailableReason();
    Assumptions.assumeFalse(why.isEmpty(), "NCCL and a GPU are present here");
    assertThat(why).containsAnyOf("libnccl.so.2", "libcuda.so.1", "no GPU");
    CollectiveConfig one = CollectiveConfig.fromEnv(Map.of("MASTER_PORT", "0"));
    assertThatThrownBy(() -> Collectives.open("nccl", one))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("collective backend 'nccl' is not available: " + why);
  }
}
