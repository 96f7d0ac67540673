package dev.kiln.it.local;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finds a Python with PyTorch and gloo (Debian's python3-torch), for the DDP example. */
final class PyTorch {
  static final String SKIP_REASON =
      "no python3 with PyTorch and gloo here (Debian: apt install python3-torch):"
          + " the PyTorch DDP example is not run";

  private static final List<String> CANDIDATES = List.of("python3", "/usr/bin/python3");

  private PyTorch() {}

  /** The first candidate that imports torch with gloo, or null (and says why on stdout). */
  static String python() {
    for (String python : CANDIDATES) {
      try {
        Process p =
            new ProcessBuilder(
                    python,
                    "-c",
                    "import torch.distributed as d; raise SystemExit(0 if d.is_gloo_available() else 1)")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return python;
        }
        p.destroyForcibly();
      } catch (java.io.IOException e) {
        // not installed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    System.out.println("SKIPPED: " + SKIP_REASON);
    return null;
  }
}
