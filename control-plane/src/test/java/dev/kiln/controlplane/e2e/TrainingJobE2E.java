package dev.kiln.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.api.Kiln;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.spec.ContainerSpec;
import dev.kiln.api.spec.MetricRule;
import dev.kiln.api.spec.OutputSpec;
import dev.kiln.api.spec.TrainingJobSpec;
import dev.kiln.api.status.Phase;
import dev.kiln.controlplane.kubernetes.ClusterSettings;
import dev.kiln.controlplane.testing.KilnCrds;
import dev.kiln.controlplane.testing.StandaloneOperator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.javaoperatorsdk.operator.Operator;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Against the real API server of {@code KUBECONFIG}: installs the generated CRDs, applies every
 * sample (valid ones accepted, {@code invalid} ones rejected with a message), and runs the control
 * plane's reconciler on a TrainingJob, following it into pods, a Service and its phases. Skipped,
 * saying why, when there is no cluster. {@code KILN_E2E_SCHEDULER} names the scheduler for rank
 * pods (default {@code default-scheduler}: the kiln-scheduler may not be installed).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainingJobE2E {
  static final Duration SLOW = Duration.ofMinutes(4);

  static KubernetesClient client;
  static String namespace;
  static final List<HasMetadata> clusterScoped = new ArrayList<>();

  @BeforeAll
  static void connect() {
    String kubeconfig = System.getenv("KUBECONFIG");
    if (kubeconfig == null
        || kubeconfig.isBlank()
        || !Files.exists(Path.of(kubeconfig.split(":")[0]))) {
      skip("KUBECONFIG is not set or names no file; there is no cluster to test against");
    }
    // From the file itself: Quarkus tests in this JVM may have set system properties that point
    // fabric8's auto-configuration at their test server.
    Config config = Config.fromKubeconfig(new File(kubeconfig.split(":")[0]));
    config.setRequestRetryBackoffLimit(2);
    KubernetesClient candidate = new KubernetesClientBuilder().withConfig(config).build();
    try {
      candidate.getKubernetesVersion();
    } catch (KubernetesClientException e) {
      candidate.close();
      skip("the API server of KUBECONFIG does not answer: " + e.getMessage());
    }
    client = candidate;
    namespace = "kiln-e2e-" + UUID.randomUUID().toString().substring(0, 6);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
  }

  private static void skip(String reason) {
    System.out.println("TrainingJobE2E skipped: " + reason);
    Assumptions.abort(reason);
  }

  @AfterAll
  static void cleanUp() {
    if (client == null) {
      return;
    }
    clusterScoped.forEach(r -> client.resource(r).delete());
    client.namespaces().withName(namespace).delete();
    client.close();
  }

  @Test
  @Order(1)
  void theGeneratedCrdsInstallAndBecomeEstablished() throws IOException {
    for (String file : KilnCrds.FILES) {
      try (InputStream in = getClass().getResourceAsStream("/META-INF/fabric8/" + file)) {
        CustomResourceDefinition crd =
            client.apiextensions().v1().customResourceDefinitions().load(in).item();
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .resource(crd)
            .createOr(NonDeletingOperation::update);
        await()
            .atMost(Duration.ofMinutes(1))
            .untilAsserted(
                () ->
                    assertThat(
                            client
                                .apiextensions()
                                .v1()
                                .customResourceDefinitions()
                                .withName(crd.getMetadata().getName())
                                .get()
                                .getStatus()
                                .getConditions())
                        .anyMatch(
                            c ->
                                "Established".equals(c.getType()) && "True".equals(c.getStatus())));
      }
    }
  }

  @Test
  @Order(2)
  void validSamplesAreAcceptedAndInvalidOnesRejectedWithAReason() throws IOException {
    Path samples = Path.of(System.getProperty("kiln.samples", "../samples"));
    List<Path> files;
    try (Stream<Path> listing = Files.list(samples)) {
      files = listing.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    int checked = 0;
    for (Path file : files) {
      String text = Files.readString(file);
      if (!text.contains(Kiln.API_VERSION)) {
        continue;
      }
      boolean invalid = file.getFileName().toString().contains("invalid");
      for (HasMetadata resource : client.load(Files.newInputStream(file)).items()) {
        checked++;
        String message = apply(resource);
        if (invalid) {
          assertThat(message).as("%s must be rejected", file).isNotNull().isNotBlank();
          System.out.println(file.getFileName() + " rejected: " + message);
        } else {
          assertThat(message).as("%s must be accepted", file).isNull();
        }
      }
    }
    assertThat(checked).as("samples under %s", samples).isPositive();
  }

  /** Creates the resource; returns the API server's rejection, or null when accepted. */
  private static String apply(HasMetadata resource) {
    boolean namespaced = !"Queue".equals(resource.getKind());
    try {
      if (namespaced) {
        client.resource(resource).inNamespace(namespace).create();
      } else {
        clusterScoped.add(client.resource(resource).create());
      }
      return null;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return null;
      }
      return e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage();
    }
  }

  @Test
  @Order(3)
  void theReconcilerTurnsATrainingJobIntoPodsAndAServiceAndTracksItsPhases() {
    ClusterSettings defaults = ClusterSettings.defaults();
    ClusterSettings settings =
        new ClusterSettings(
            System.getenv().getOrDefault("KILN_E2E_SCHEDULER", "default-scheduler"),
            defaults.workerImage(),
            defaults.imagePullPolicy(),
            defaults.stageInArgs(),
            null,
            defaults.controlPlaneAddress(),
            defaults.s3Endpoint(),
            false,
            defaults.masterPort(),
            defaults.metricsPort());
    Operator operator =
        StandaloneOperator.start(client, settings, StandaloneOperator.quickPolicy(), namespace);
    try {
      client.resource(job("e2e-train")).inNamespace(namespace).create();
      await()
          .atMost(Duration.ofMinutes(1))
          .untilAsserted(
              () -> {
                assertThat(pods("e2e-train")).hasSize(2);
                assertThat(
                        client.services().inNamespace(namespace).withName("e2e-train-ranks").get())
                    .isNotNull();
              });
      await()
          .atMost(SLOW)
          .untilAsserted(
              () ->
                  assertThat(get("e2e-train").getStatus().phase)
                      .isIn(Phase.RUNNING, Phase.SUCCEEDED));
      await()
          .atMost(SLOW)
          .untilAsserted(
              () -> assertThat(get("e2e-train").getStatus().phase).isEqualTo(Phase.SUCCEEDED));
      assertThat(pods("e2e-train"))
          .extracting(p -> p.getStatus().getPhase())
          .containsOnly("Succeeded");
      await()
          .atMost(Duration.ofMinutes(1))
          .untilAsserted(
              () ->
                  assertThat(get("e2e-train").getStatus().latestMetric)
                      .isEqualTo("val_accuracy=0.75"));
    } finally {
      operator.stop();
    }
  }

  /** Two ranks of busybox printing a metric: no Kiln image needed on the cluster. */
  private static TrainingJob job(String name) {
    TrainingJobSpec spec = new TrainingJobSpec();
    spec.workers = 2;
    spec.container = new ContainerSpec();
    spec.container.image = "busybox:1.36";
    spec.container.command =
        List.of(
            "sh",
            "-c",
            "echo \"rank $RANK of $WORLD_SIZE\"; echo val_accuracy=0.5; sleep 3; echo val_accuracy=0.75");
    spec.output = new OutputSpec("s3://models/" + name + "/");
    spec.metrics = List.of(new MetricRule("val_accuracy", "val_accuracy=([0-9.]+)"));
    spec.startupTimeoutSeconds = 180;
    TrainingJob job = new TrainingJob();
    job.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    job.setSpec(spec);
    return job;
  }

  private static TrainingJob get(String name) {
    return client.resources(TrainingJob.class).inNamespace(namespace).withName(name).get();
  }

  private static List<Pod> pods(String job) {
    return client.pods().inNamespace(namespace).withLabel(Kiln.LABEL_JOB, job).list().getItems();
  }
}
