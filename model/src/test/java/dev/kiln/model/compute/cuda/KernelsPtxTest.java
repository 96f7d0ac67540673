package dev.kiln.model.compute.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The checked-in PTX is the compiled form of the current {@code kernels.cu}. */
class KernelsPtxTest {
  private static final Path SOURCE = Path.of("src/main/cuda/kernels.cu");

  private static String ptx() {
    return new String(CudaKernels.ptx(), StandardCharsets.US_ASCII);
  }

  @Test
  void ptxRecordsTheHashOfTheCurrentSource() throws Exception {
    String hash = HexFormat.of().formatHex(sha256(Files.readAllBytes(SOURCE)));
    assertThat(ptx().lines().findFirst().orElse(""))
        .as("kernels.ptx is stale: run model/src/main/cuda/build-ptx.sh where nvcc exists")
        .isEqualTo("// kiln-source-sha256: " + hash);
  }

  @Test
  void ptxHasEveryKernelTheBackendLaunches() throws IOException {
    List<String> entries = entries(ptx());
    String backend =
        Files.readString(Path.of("src/main/java/dev/kiln/model/compute/cuda/CudaBackend.java"));
    Matcher launched = Pattern.compile("\"([a-z_0-9]+)\",").matcher(backend);
    List<String> names = launched.results().map(r -> r.group(1)).distinct().toList();
    assertThat(names).contains("sgemm", "cross_entropy", "adam_step");
    assertThat(entries).containsAll(names);
  }

  @Test
  void nvccCompilesTheSourceToTheCheckedInPtx() throws Exception {
    Assumptions.assumeTrue(onPath("nvcc"), "nvcc is not on the PATH: kernels not recompiled");
    Path out = Files.createTempFile("kernels", ".ptx");
    try {
      Process p =
          new ProcessBuilder(
                  "bash", "src/main/cuda/build-ptx.sh", "--force", "--out", out.toString())
              .redirectErrorStream(true)
              .start();
      String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(log).isZero();
      String fresh = Files.readString(out);
      if (compiler(fresh).equals(compiler(ptx()))) {
        assertThat(code(fresh))
            .as("nvcc's PTX differs from the checked-in one: run build-ptx.sh --force")
            .isEqualTo(code(ptx()));
      } else {
        // Another nvcc release words the same kernels differently; it must still make them all.
        System.out.println(
            "KernelsPtxTest: nvcc is "
                + compiler(fresh)
                + ", the PTX was made by "
                + compiler(ptx())
                + "; comparing kernel entries only");
        assertThat(entries(fresh)).isEqualTo(entries(ptx()));
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** The header line naming the nvcc release that made a PTX file. */
  private static String compiler(String ptx) {
    return ptx.lines()
        .filter(l -> l.startsWith("// Cuda compilation tools"))
        .findFirst()
        .orElse("");
  }

  private static List<String> entries(String ptx) {
    return Pattern.compile("\\.visible \\.entry (\\w+)\\(")
        .matcher(ptx)
        .results()
        .map(r -> r.group(1))
        .toList();
  }

  /** The PTX without comment lines (they name the compiler build). */
  private static List<String> code(String ptx) {
    return ptx.lines().filter(l -> !l.startsWith("//")).toList();
  }

  private static boolean onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  private static byte[] sha256(byte[] data) throws NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }
}
