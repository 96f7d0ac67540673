package dev.kiln.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code kubectl kustomize deploy} renders everything a cluster installation needs. */
class DeployKustomizeIT {
  private static final List<JsonNode> rendered = new ArrayList<>();

  @BeforeAll
  static void render() throws IOException, InterruptedException {
    Process p;
    try {
      p =
          new ProcessBuilder("kubectl", "kustomize", "deploy")
              .directory(Path.of("..").toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
    } catch (IOException e) {
      System.out.println(
          "SKIPPED DeployKustomizeIT: kubectl is not installed (" + e.getMessage() + ")");
      Assumptions.abort("kubectl is not installed");
      return;
    }
    String yaml = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("kubectl kustomize deploy exit code").isZero();
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
    var docs = mapper.readerFor(JsonNode.class).readValues(mapper.getFactory().createParser(yaml));
    while (docs.hasNext()) {
      rendered.add((JsonNode) docs.next());
    }
  }

  private static List<JsonNode> ofKind(String kind) {
    return rendered.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
  }

  @Test
  void rendersTheCrdsTheControlPlaneMinioAndTheDefaultQueue() {
    assertThat(ofKind("Namespace")).hasSize(1);
    assertThat(ofKind("CustomResourceDefinition"))
        .extracting(d -> d.path("metadata").path("name").asText())
        .containsExactlyInAnyOrder(
            "trainingjobs.kiln.dev",
            "tuningjobs.kiln.dev",
            "inferenceendpoints.kiln.dev",
            "queues.kiln.dev");
    assertThat(ofKind("Deployment"))
        .extracting(d -> d.path("metadata").path("name").asText())
        .contains("kiln-control-plane", "minio", "kiln-scheduler", "kiln-router");
    assertThat(ofKind("PersistentVolumeClaim")).hasSize(1);
    assertThat(ofKind("Secret"))
        .extracting(d -> d.path("metadata").path("name").asText())
        .contains("kiln-s3");
    assertThat(ofKind("Queue"))
        .singleElement()
        .satisfies(
            q -> {
              assertThat(q.path("metadata").path("name").asText()).isEqualTo("default");
              assertThat(q.path("metadata").has("namespace"))
                  .as("Queue is cluster-scoped")
                  .isFalse();
            });
    assertThat(ofKind("TrainingJob")).isNotEmpty();
  }

  @Test
  void controlPlaneRoleIsLeastPrivilegeAndReadsPodLogs() {
    JsonNode role =
        ofKind("ClusterRole").stream()
            .filter(r -> r.path("metadata").path("name").asText().equals("kiln-control-plane"))
            .findFirst()
            .orElseThrow();
    List<String> resources = new ArrayList<>();
    for (JsonNode rule : role.path("rules")) {
      rule.path("resources").forEach(r -> resources.add(r.asText()));
      rule.path("verbs")
          .forEach(v -> assertThat(v.asText()).as("no wildcard verbs").isNotEqualTo("*"));
      rule.path("resources")
          .forEach(r -> assertThat(r.asText()).as("no wildcard resources").isNotEqualTo("*"));
    }
    assertThat(resources)
        .contains(
            "pods",
            "pods/log",
            "trainingjobs/status",
            "events",
            "services",
            "deployments",
            "inferenceendpoints/status");
    assertThat(ofKind("ClusterRoleBinding"))
        .allSatisfy(
            b ->
                assertThat(b.path("subjects").get(0).path("namespace").asText()).isEqualTo("kiln"));
  }

  @Test
  void controlPlaneRunsAsNonRootUnderItsServiceAccount() {
    JsonNode cp =
        ofKind("Deployment").stream()
            .filter(d -> d.path("metadata").path("name").asText().equals("kiln-control-plane"))
            .findFirst()
            .orElseThrow();
    JsonNode pod = cp.path("spec").path("template").path("spec");
    assertThat(pod.path("serviceAccountName").asText()).isEqualTo("kiln-control-plane");
    assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
  }
}
