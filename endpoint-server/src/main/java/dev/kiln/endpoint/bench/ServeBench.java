package dev.kiln.endpoint.bench;

import dev.kiln.endpoint.runner.ModelLoader;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code kiln bench serve}: the endpoint server under load.
 *
 * <ol>
 *   <li>The model: {@code --model URI}, or by default the MLP 784-512-256-10 with seeded weights
 *       written as a Kiln artifact to a temporary folder.
 *   <li>{@code inprocess_p50_us}: one row's forward pass in a child JVM with the server's flags.
 *   <li>{@code cold_start_ms}: the packaged server ({@code target/quarkus-app/quarkus-run.jar}) is
 *       started as a fresh process, and the clock runs from process start until the first {@code
 *       POST /v2/models/{name}/infer} answers 200: JVM start, Quarkus boot, model fetch (folder or
 *       S3) and load, first forward pass.
 *   <li>The load: a separate JVM ({@link LoadGenerator}) with {@code --concurrency} closed-loop
 *       keep-alive clients posting one-row v2 infer requests; after a warm-up, it measures {@code
 *       --seconds} seconds: {@code throughput_rps}, {@code p50_us}, {@code p99_us} (client side).
 * </ol>
 *
 * <p>Prints progress on stderr and one JSON object on the last line of stdout.
 */
public final class ServeBench {

  static final String USAGE =
      "usage: ServeBench [--model URI] --concurrency C --seconds S [--batching on|off]\n"
          + "       [--warmup-seconds W] [--max-batch-size B] [--max-delay-micros D]\n"
          + "       [--format auto|kiln|onnx] [--threads T] [--server-jar PATH]\n"
          + "       [--inprocess-seconds S]";

  private ServeBench() {}

  public static void main(String[] args) {
    try {
      System.out.println(run(Args.parse(args)));
    } catch (Args.UsageException e) {
      System.err.println("serve bench: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
    } catch (Exception e) {
      System.err.println("serve bench failed: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  static String run(Args a) throws Exception {
    for (String name : a.names()) {
      if (!List.of(
              "model",
              "concurrency",
              "seconds",
              "batching",
              "warmup-seconds",
              "max-batch-size",
              "max-delay-micros",
              "format",
              "threads",
              "server-jar",
              "inprocess-seconds")
          .contains(name)) {
        throw new Args.UsageException("unknown option --" + name);
      }
    }
    int concurrency = positiveInt(a.required("concurrency"), "concurrency");
    double seconds = Double.parseDouble(a.required("seconds"));
    String batching = a.get("batching", "on");
    if (!batching.equals("on") && !batching.equals("off")) {
      throw new Args.UsageException("--batching must be on or off, got " + batching);
    }
    double warmup = Double.parseDouble(a.get("warmup-seconds", "5"));
    int maxBatch = positiveInt(a.get("max-batch-size", "64"), "max-batch-size");
    String maxDelay = a.get("max-delay-micros", "1000");
    String format = a.get("format", "auto");
    String threads = a.get("threads", "0");
    String inprocessSeconds = a.get("inprocess-seconds", "2");
    Path serverJar = a.has("server-jar") ? Path.of(a.get("server-jar", "")) : defaultServerJar();
    if (!Files.isRegularFile(serverJar)) {
      throw new IllegalStateException(
          "no packaged server at "
              + serverJar
              + "; build it: ./mvnw -B -pl endpoint-server package -DskipTests");
    }

    Path work = Files.createTempDirectory("kiln-serve-bench-");
    try {
      String uri;
      if (a.has("model")) {
        uri = a.get("model", "");
      } else {
        Path model = BenchModel.writeDefault(work.resolve("mlp/model"));
        uri = model.toUri().toString();
        log("default model: MLP 784-512-256-10 (seed 42) written to " + model);
      }

      log("in-process forward pass of one row...");
      Map<String, String> inproc =
          JsonLine.parse(
              runJava(
                  work.resolve("inprocess.log"),
                  InProcessBench.class.getName(),
                  List.of(
                      "--model",
                      uri,
                      "--format",
                      format,
                      "--threads",
                      threads,
                      "--seconds",
                      inprocessSeconds)));
      double inprocessP50 = Double.parseDouble(inproc.get("inprocess_p50_us"));
      log("in-process: " + inproc);

      int port = freePort();
      String name = ModelLoader.nameFor(uri);
      byte[] body = inferBody(uri, work, format);
      Path bodyFile = Files.write(work.resolve("body.json"), body);
      String path = "/v2/models/" + name + "/infer";
      ProcessBuilder pb =
          new ProcessBuilder(
                  List.of(
                      javaBin(),
                      "--add-modules",
                      "jdk.incubator.vector",
                      "-jar",
                      serverJar.toString()))
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("server.log").toFile());
      Map<String, String> env = pb.environment();
      env.put("KILN_MODEL_URI", uri);
      env.put("KILN_MODEL_NAME", name);
      env.put("KILN_MODEL_FORMAT", format);
      env.put("KILN_HTTP_PORT", Integer.toString(port));
      env.put("KILN_BATCHING", batching);
      env.put("KILN_MAX_BATCH_SIZE", Integer.toString(maxBatch));
      env.put("KILN_MAX_DELAY_MICROS", maxDelay);
      env.put("KILN_MAX_QUEUE", Integer.toString(Math.max(1024, 4 * concurrency)));
      env.put("KILN_THREADS", threads);
      log("starting " + serverJar + " on port " + port + " (batching " + batching + ")");
      long spawned = System.nanoTime();
      Process server = pb.start();
      try {
        double coldStartMs = awaitFirstPrediction(server, port, path, body, spawned, work);
        log(String.format(Locale.ROOT, "cold start: %.0f ms to the first 200", coldStartMs));
        log(
            "load: "
                + concurrency
                + " clients, "
                + warmup
                + " s warm-up, "
                + seconds
                + " s measured");
        Map<String, String> load =
            JsonLine.parse(
                runJava(
                    work.resolve("load.log"),
                    LoadGenerator.class.getName(),
                    List.of(
                        "--port", Integer.toString(port),
                        "--path", path,
                        "--body", bodyFile.toString(),
                        "--concurrency", Integer.toString(concurrency),
                        "--seconds", Double.toString(seconds),
                        "--warmup-seconds", Double.toString(warmup))));
        log("load: " + load);
        double meanBatch = meanBatchSize(port);
        return String.format(
            Locale.ROOT,
            "{\"throughput_rps\":%s,\"p50_us\":%s,\"p99_us\":%s,\"inprocess_p50_us\":%.1f,"
                + "\"cold_start_ms\":%.0f,\"concurrency\":%d,\"batching\":\"%s\",\"seconds\":%s,"
                + "\"requests\":%s,\"errors\":%s,\"p90_us\":%s,\"mean_batch_size\":%.2f,"
                + "\"max_batch_size\":%d,\"max_delay_micros\":%s,\"model\":\"%s\",\"platform\":\"%s\","
                + "\"inprocess_load_ms\":%s,\"cold_start\":\"fresh server JVM start to first 200 infer"
                + " (JVM + Quarkus boot + model fetch and load + first forward)\"}",
            load.get("throughput_rps"),
            load.get("p50_us"),
            load.get("p99_us"),
            inprocessP50,
            coldStartMs,
            concurrency,
            batching,
            load.get("seconds"),
            load.get("requests"),
            load.get("errors"),
            load.get("p90_us"),
            meanBatch,
            batching.equals("on") ? maxBatch : 1,
            maxDelay,
            uri.replace("\"", "'"),
            inproc.get("platform"),
            inproc.get("load_ms"));
      } finally {
        server.destroy();
        if (!server.waitFor(30, TimeUnit.SECONDS)) {
          server.destroyForcibly();
        }
      }
    } finally {
      deleteTree(work);
    }
  }

  /** Polls with real predictions until one answers 200; the server must not have exited. */
  private static double awaitFirstPrediction(
      Process server, int port, String path, byte[] body, long spawned, Path work)
      throws IOException, InterruptedException {
    byte[] request = HttpLoadClient.post("127.0.0.1", port, path, "application/json", body);
    long deadline = spawned + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new IllegalStateException(
            "the server exited with "
                + server.exitValue()
                + ":\n"
                + tail(work.resolve("server.log")));
      }
      try (HttpLoadClient client = new HttpLoadClient("127.0.0.1", port)) {
        int code = client.exchange(request);
        if (code == 200) {
          return (System.nanoTime() - spawned) / 1e6;
        }
      } catch (ConnectException e) {
        // Not listening yet.
      } catch (IOException e) {
        // Listening but not answering yet.
      }
      Thread.sleep(2);
    }
    throw new IllegalStateException(
        "no prediction within 120 s:\n" + tail(work.resolve("server.log")));
  }

  /** One v2 infer request of one seeded row, for the model's input width. */
  private static byte[] inferBody(String uri, Path work, String format) throws Exception {
    Map<String, String> meta =
        JsonLine.parse(
            runJava(
                work.resolve("signature.log"),
                SignatureProbe.class.getName(),
                List.of("--model", uri, "--format", format)));
    int width = Integer.parseInt(meta.get("width"));
    String shape = meta.get("shape");
    float[] row = BenchModel.rows(1, width, 1);
    StringBuilder sb = new StringBuilder(width * 8 + 128);
    sb.append("{\"inputs\":[{\"name\":\"").append(meta.get("input")).append("\",\"shape\":[1");
    for (String d : shape.split("x")) {
      sb.append(',').append(d);
    }
    sb.append("],\"datatype\":\"FP32\",\"data\":[");
    for (int i = 0; i < row.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(row[i]);
    }
    return sb.append("]}]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static double meanBatchSize(int port) {
    try {
      String metrics =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(new URI("http://127.0.0.1:" + port + "/metrics"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      double count = Double.NaN;
      double sum = Double.NaN;
      for (String line : metrics.split("\n")) {
        if (line.startsWith("kiln_endpoint_batch_size_count ")) {
          count = Double.parseDouble(line.substring(line.indexOf(' ') + 1));
        } else if (line.startsWith("kiln_endpoint_batch_size_sum ")) {
          sum = Double.parseDouble(line.substring(line.indexOf(' ') + 1));
        }
      }
      return sum / count;
    } catch (IOException | InterruptedException | URISyntaxException e) {
      return Double.NaN;
    }
  }

  /** Runs a main class of this module in a child JVM and returns its last stdout line. */
  static String runJava(Path log, String mainClass, List<String> args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBin());
    cmd.add("--add-modules");
    cmd.add("jdk.incubator.vector");
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
    // The class path goes in the environment, not on the command line: ONNX Runtime 1.29 crashes
    // (SIGSEGV) in a JVM whose command line is longer than about 4 KB, and ours lists ~120 jars.
    pb.environment().put("CLASSPATH", System.getProperty("java.class.path"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    String[] lines = out.strip().split("\n");
    String last = lines[lines.length - 1];
    if (code != 0 || !last.startsWith("{")) {
      throw new IllegalStateException(
          mainClass + " exited with " + code + ":\n" + out + "\n" + tail(log));
    }
    return last;
  }

  static Path defaultServerJar() throws URISyntaxException {
    // target/classes (or a jar in target/) -> target/quarkus-app/quarkus-run.jar
    Path here =
        Path.of(ServeBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return here.getParent().resolve("quarkus-app").resolve("quarkus-run.jar");
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static int positiveInt(String v, String name) {
    int i;
    try {
      i = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new Args.UsageException("--" + name + " must be a whole number, got " + v);
    }
    if (i < 1) {
      throw new Args.UsageException("--" + name + " must be at least 1, got " + v);
    }
    return i;
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static void log(String s) {
    System.err.println("[serve bench] " + s);
  }

  private static void deleteTree(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temp folder is harmless.
    }
  }
}
