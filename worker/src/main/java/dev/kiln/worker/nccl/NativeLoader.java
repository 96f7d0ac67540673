package dev.kiln.worker.nccl;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Loads Kiln's own {@code libkilnnccl.so} (built by the worker's Maven build into {@code
 * native/linux-x86_64/} on the classpath) and lists where NCCL is looked for.
 */
final class NativeLoader {
  static final String RESOURCE = "/native/linux-x86_64/libkilnnccl.so";
  private static String failure;
  private static boolean loaded;

  private NativeLoader() {}

  /** Loads the JNI library once; throws the same explanation on every later call if it failed. */
  static synchronized void ensureLoaded() {
    if (loaded) {
      return;
    }
    if (failure != null) {
      throw new NcclException(failure);
    }
    try {
      System.load(libraryFile().toString());
      loaded = true;
    } catch (IOException | UnsatisfiedLinkError | URISyntaxException e) {
      failure = "Kiln's NCCL binding (libkilnnccl.so) could not be loaded: " + e.getMessage();
      throw new NcclException(failure);
    }
  }

  private static Path libraryFile() throws IOException, URISyntaxException {
    String os = System.getProperty("os.name", "") + "/" + System.getProperty("os.arch", "");
    if (!os.equals("Linux/amd64")) {
      throw new IOException("it is built for Linux on x86-64 only, this is " + os);
    }
    URL url = NativeLoader.class.getResource(RESOURCE);
    if (url == null) {
      throw new IOException(
          RESOURCE + " is not on the classpath: the worker's Maven build compiles it with gcc");
    }
    if (url.getProtocol().equals("file")) {
      return Path.of(url.toURI());
    }
    Path tmp = Files.createTempFile("libkilnnccl", ".so");
    tmp.toFile().deleteOnExit();
    try (InputStream in = url.openStream()) {
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
    }
    return tmp;
  }

  /**
   * Where NCCL is looked for, in order: {@code KILN_NCCL_LIB} (a file, or a folder holding {@code
   * libnccl.so.2}), the dynamic loader's path ({@code libnccl.so.2}: LD_LIBRARY_PATH, ldconfig),
   * then PyTorch's bundled copy, {@code nvidia/nccl/lib} in Python's site-packages.
   */
  static List<String> ncclCandidates(Map<String, String> env) {
    List<String> c = new ArrayList<>();
    String explicit = env.get("KILN_NCCL_LIB");
    if (explicit != null && !explicit.isBlank()) {
      Path p = Path.of(explicit.trim());
      c.add(Files.isDirectory(p) ? p.resolve("libnccl.so.2").toString() : p.toString());
    }
    c.add("libnccl.so.2");
    for (Path site : sitePackages(env)) {
      Path lib = site.resolve(PYTORCH_NCCL);
      if (Files.exists(lib) && !c.contains(lib.toString())) {
        c.add(lib.toString());
      }
    }
    return c;
  }

  /** Where PyTorch's pip wheels put NCCL, relative to site-packages. */
  static final String PYTORCH_NCCL = "nvidia/nccl/lib/libnccl.so.2";

  /** The site-packages folders that exist here, for error messages. */
  static List<String> searchedSitePackages(Map<String, String> env) {
    return sitePackages(env).stream().filter(Files::isDirectory).map(Path::toString).toList();
  }

  /** Python site-packages folders: venv, conda, the usual prefixes, and python3's own answer. */
  static List<Path> sitePackages(Map<String, String> env) {
    List<Path> roots = new ArrayList<>();
    for (String var : List.of("VIRTUAL_ENV", "CONDA_PREFIX")) {
      String v = env.get(var);
      if (v != null && !v.isBlank()) {
        roots.add(Path.of(v, "lib"));
      }
    }
    String home = System.getProperty("user.home", "");
    for (String r : List.of("/usr/local/lib", "/usr/lib", "/opt/conda/lib", home + "/.local/lib")) {
      roots.add(Path.of(r));
    }
    List<Path> sites = new ArrayList<>();
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> s = Files.list(root)) {
        s.filter(p -> p.getFileName().toString().startsWith("python3"))
            .sorted()
            .forEach(
                py -> {
                  sites.add(py.resolve("site-packages"));
                  sites.add(py.resolve("dist-packages"));
                });
      } catch (IOException e) {
        // an unreadable folder holds nothing we can load
      }
    }
    pythonSitePackages().ifPresent(out -> out.lines().map(Path::of).forEach(sites::add));
    return sites;
  }

  private static Optional<String> pythonSitePackages() {
    try {
      Process p =
          new ProcessBuilder(
                  "python3", "-c", "import site,sys;print('\\n'.join(site.getsitepackages()))")
              .redirectErrorStream(false)
              .start();
      p.getOutputStream().close();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.exitValue() == 0 && !out.isEmpty() ? Optional.of(out) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // no python3: nothing bundled to find
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
