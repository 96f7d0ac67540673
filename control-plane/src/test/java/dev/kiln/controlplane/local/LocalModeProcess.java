package dev.kiln.controlplane.local;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.api.Manifests;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.spec.Channel;
import dev.kiln.api.spec.ContainerSpec;
import dev.kiln.api.spec.OutputSpec;
import dev.kiln.api.spec.TrainingJobSpec;
import dev.kiln.api.status.Phase;
import dev.kiln.grpc.ApplyRequest;
import dev.kiln.grpc.LocalApiGrpc;
import dev.kiln.grpc.LogsRequest;
import dev.kiln.grpc.ResourceRef;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The packaged control plane ({@code target/quarkus-app}) run in local mode as a child process, the
 * way {@code kiln local up} runs it: no kubeconfig, its own home and user home, free ports.
 */
public final class LocalModeProcess implements AutoCloseable {
  static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
  static final String TRAIN_URI = "s3://datasets/ctest/train.csv";
  private static final ObjectMapper JSON = new ObjectMapper();

  final Path home;
  final Path userHome;
  final int port;
  final int s3Port;
  private Process process;
  private JsonNode local;
  private ManagedChannel channel;
  private final List<String> extraArgs = new ArrayList<>();

  private LocalModeProcess(Path dir) throws IOException {
    this.home = dir.resolve("home");
    this.userHome = dir.resolve("user");
    Files.createDirectories(userHome);
    this.port = freePort();
    this.s3Port = freePort();
  }

  /** Starts a control plane in local mode under {@code dir} and waits until it answers. */
  public static LocalModeProcess start(Path dir, String... systemProperties) throws Exception {
    LocalModeProcess p = new LocalModeProcess(dir);
    p.extraArgs.addAll(List.of(systemProperties));
    p.launch();
    return p;
  }

  void launch() throws Exception {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the package phase");
    }
    Files.deleteIfExists(configFile());
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-Duser.home=" + userHome,
                "-Dkiln.local.home=" + home,
                "-Dkiln.local.config-file=" + configFile(),
                "-Dkiln.local.stop-grace=3s",
                "-Dquarkus.http.port=" + port,
                "-Dkiln.local.s3-port=" + s3Port));
    command.addAll(extraArgs);
    command.add("-jar");
    command.add(JAR.toAbsolutePath().toString());
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("KUBECONFIG");
    pb.environment().put("HOME", userHome.toString());
    pb.environment().put("KILN_MODE", "local");
    pb.redirectErrorStream(true);
    pb.redirectOutput(
        ProcessBuilder.Redirect.appendTo(home.resolveSibling("control-plane.log").toFile()));
    process = pb.start();
    awaitReady();
  }

  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the control plane exited with " + process.exitValue() + ":\n" + log());
      }
      if (Files.exists(configFile())) {
        JsonNode json = JSON.readTree(Files.readString(configFile()));
        if (json.path("pid").asLong() == process.pid()) {
          local = json;
          channel =
              ManagedChannelBuilder.forTarget(json.path("address").asText()).usePlaintext().build();
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the control plane did not start:\n" + log());
  }

  Path configFile() {
    return userHome.resolve(".kiln").resolve("local.json");
  }

  JsonNode localJson() {
    return local;
  }

  public String log() throws IOException {
    Path log = home.resolveSibling("control-plane.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  long pid() {
    return process.pid();
  }

  /** The LocalApi with the token from local.json. */
  LocalApiGrpc.LocalApiBlockingStub api() {
    return api(local.path("token").asText());
  }

  /** The LocalApi with this token, or none when null. */
  LocalApiGrpc.LocalApiBlockingStub api(String token) {
    LocalApiGrpc.LocalApiBlockingStub stub =
        LocalApiGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    if (token == null) {
      return stub;
    }
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  MinioClient s3() {
    return MinioClient.builder()
        .endpoint(local.path("s3").asText())
        .credentials(local.path("s3AccessKey").asText(), local.path("s3SecretKey").asText())
        .region("us-east-1")
        .build();
  }

  public TrainingJob apply(TrainingJob job) {
    String json =
        api()
            .apply(ApplyRequest.newBuilder().setManifestJson(Manifests.toJson(job)).build())
            .getJson();
    return Manifests.fromJson(json, TrainingJob.class);
  }

  public Optional<TrainingJob> job(String name) {
    try {
      String json =
          api()
              .get(ResourceRef.newBuilder().setKind("TrainingJob").setName(name).build())
              .getJson();
      return Optional.of(Manifests.fromJson(json, TrainingJob.class));
    } catch (io.grpc.StatusRuntimeException e) {
      return Optional.empty();
    }
  }

  /** Waits until the job reaches {@code phase}; fails at once if it fails instead. */
  public TrainingJob awaitPhase(String name, Phase phase) {
    return await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () -> job(name).orElse(null),
            j -> {
              Phase now = j == null || j.getStatus() == null ? null : j.getStatus().phase;
              if (now == Phase.FAILED && phase != Phase.FAILED) {
                throw new AssertionError(name + " failed: " + Manifests.toJson(j.getStatus()));
              }
              return now == phase;
            });
  }

  /** Rank {@code rank}'s log of the job's newest attempt. */
  String logs(String job, int rank) {
    StringBuilder b = new StringBuilder();
    api()
        .logs(LogsRequest.newBuilder().setJob(job).setRank(rank).build())
        .forEachRemaining(c -> b.append(c.getData().toString(StandardCharsets.UTF_8)));
    return b.toString();
  }

  /** The job's events as {@code Reason: message}. */
  public List<String> events(String job) {
    return api()
        .events(ResourceRef.newBuilder().setKind("TrainingJob").setName(job).build())
        .getEventsList()
        .stream()
        .map(e -> e.getReason() + ": " + e.getMessage())
        .toList();
  }

  void putObject(String bucket, String key, String text) throws Exception {
    MinioClient s3 = s3();
    if (!s3.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
      s3.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
    }
    byte[] data = text.getBytes(StandardCharsets.UTF_8);
    s3.putObject(
        PutObjectArgs.builder().bucket(bucket).object(key).stream(
                new ByteArrayInputStream(data), data.length, -1)
            .build());
  }

  String getObject(String bucket, String key) throws Exception {
    try (var in = s3().getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** A container job running {@code sh -c script} on every rank, with a small train channel. */
  public static TrainingJob container(String name, int workers, String script) {
    TrainingJobSpec spec = new TrainingJobSpec();
    spec.workers = workers;
    spec.container = new ContainerSpec();
    spec.container.image = "ghcr.io/acme/train:1";
    spec.container.command = List.of("sh", "-c", script);
    spec.container.framework = ContainerSpec.Framework.PYTORCH;
    spec.inputs.put("train", new Channel(TRAIN_URI, Channel.Format.CSV, null));
    spec.output = new OutputSpec("s3://models/" + name + "/");
    spec.maxRestarts = 2;
    TrainingJob job = new TrainingJob();
    job.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
    job.setSpec(spec);
    return job;
  }

  /** Uploads the channel every {@link #container} job reads. */
  public void putTrainChannel() throws Exception {
    putObject("datasets", "ctest/train.csv", "x,label\n1,0\n2,1\n3,0\n");
  }

  /** What kill -9 does: no shutdown hooks, ranks keep running. */
  void kill9() throws InterruptedException {
    channel.shutdownNow();
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** The pids of the job's recorded rank processes (the wrappers, group leaders). */
  List<Long> rankPids(TrainingJob job) throws IOException {
    return pids(home.resolve("ranks").resolve(job.getMetadata().getUid()));
  }

  /** The pids of every recorded rank process. */
  List<Long> rankPids() throws IOException {
    return pids(home.resolve("ranks"));
  }

  private static List<Long> pids(Path ranks) throws IOException {
    List<Long> pids = new ArrayList<>();
    if (!Files.isDirectory(ranks)) {
      return pids;
    }
    try (Stream<Path> walk = Files.walk(ranks)) {
      for (Path p : walk.filter(f -> f.toString().endsWith(".json")).toList()) {
        JsonNode pid = JSON.readTree(Files.readString(p)).path("process").path("pid");
        if (pid.isNumber()) {
          pids.add(pid.asLong());
        }
      }
    }
    return pids;
  }

  /** Stops it the way kiln local down does (SIGTERM: it stops its ranks); kills what is left. */
  @Override
  public void close() throws Exception {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    List<Long> left = new ArrayList<>(rankPids());
    Path s3 = home.resolve(S3Process.RECORD);
    if (Files.exists(s3)) {
      JsonNode pid = JSON.readTree(Files.readString(s3)).path("process").path("pid");
      if (pid.isNumber()) {
        left.add(pid.asLong());
      }
    }
    for (long pid : left) {
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        // Safety net for a failed test: no rank may outlive it.
        new ProcessBuilder("kill", "-KILL", "--", "-" + pid)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start()
            .waitFor();
      }
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
