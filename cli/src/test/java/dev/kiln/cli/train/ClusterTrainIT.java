package dev.kiln.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.Manifests;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.status.Phase;
import dev.kiln.api.status.TrainingJobStatus;
import dev.kiln.cli.KilnRunner;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiln --context C train ...} against a test API server (CRUD mode, no controller): the CLI
 * works on the TrainingJob CRs directly, through the kubeconfig context.
 */
class ClusterTrainIT {
  @TempDir Path dir;
  private KubernetesMockServer server;
  private KubernetesClient client;
  private String previousKubeconfig;

  @BeforeEach
  void startServer() throws Exception {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    client = server.createClient();
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/fabric8/trainingjobs.kiln.dev-v1.yml")) {
      CustomResourceDefinition crd =
          client.apiextensions().v1().customResourceDefinitions().load(in).item();
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters: [{name: test, cluster: {server: '" + client.getMasterUrl() + "'}}]",
            "users: [{name: someone, user: {token: not-checked}}]",
            "contexts: [{name: test-ctx, context: {cluster: test, user: someone, namespace: default}}]",
            "current-context: other",
            ""));
    previousKubeconfig = System.getProperty("kubeconfig");
    // fabric8 reads the kubeconfig path from this property before KUBECONFIG.
    System.setProperty("kubeconfig", kubeconfig.toString());
  }

  @AfterEach
  void stopServer() {
    if (previousKubeconfig == null) {
      System.clearProperty("kubeconfig");
    } else {
      System.setProperty("kubeconfig", previousKubeconfig);
    }
    client.close();
    server.destroy();
  }

  private KilnRunner.Result kiln(String... args) {
    return KilnRunner.run(Map.of(), dir, args);
  }

  @Test
  void submitCreatesTheCrAndASecondSubmitChangesOnlyItsSpec() throws Exception {
    Path yaml = Path.of("..", "samples", "trainingjob-digits.yaml");

    KilnRunner.Result created =
        kiln("--context", "test-ctx", "train", "submit", "-f", yaml.toString());

    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out()).isEqualTo("trainingjob/digits-mlp created\n");
    TrainingJob stored =
        client.resources(TrainingJob.class).inNamespace("default").withName("digits-mlp").get();
    assertThat(stored.getSpec().workers).isEqualTo(2);

    stored.setStatus(new TrainingJobStatus());
    stored.getStatus().phase = Phase.RUNNING;
    stored.getStatus().ranks = "2/2";
    stored.getStatus().latestMetric = "val_accuracy=0.95";
    client.resource(stored).updateStatus();
    TrainingJob edited = Manifests.parse(Files.readString(yaml), TrainingJob.class);
    edited.getSpec().algorithm.epochs = 30;
    Path changed = dir.resolve("changed.yaml");
    Files.writeString(changed, Manifests.toYaml(edited));

    KilnRunner.Result configured =
        kiln("--context", "test-ctx", "train", "submit", "-f", changed.toString());

    assertThat(configured.out()).isEqualTo("trainingjob/digits-mlp configured\n");
    TrainingJob after =
        client.resources(TrainingJob.class).inNamespace("default").withName("digits-mlp").get();
    assertThat(after.getSpec().algorithm.epochs).isEqualTo(30);
    assertThat(after.getStatus().phase)
        .as("the controller's status is left alone")
        .isEqualTo(Phase.RUNNING);
    KilnRunner.Result list = kiln("--context", "test-ctx", "train", "list");
    assertThat(list.out())
        .contains("digits-mlp")
        .contains("Running")
        .contains("2/2")
        .contains("val_accuracy=0.95");
    KilnRunner.Result get =
        kiln("--context", "test-ctx", "train", "get", "digits-mlp", "-o", "yaml");
    assertThat(get.out()).contains("epochs: 30");
  }

  @Test
  void anUnknownJobSaysWhereItLookedAndHowToList() {
    KilnRunner.Result get = kiln("--context", "test-ctx", "train", "get", "nope");

    assertThat(get.exit()).isEqualTo(1);
    assertThat(get.err())
        .contains("no TrainingJob default/nope in context test-ctx")
        .contains("kiln train list");
  }
}
