package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CRDs in deploy/ are the generated ones: regenerate with the build, then copy. */
class CrdDriftTest {
  static final Path GENERATED = Path.of("target", "classes", "META-INF", "fabric8");
  static final Path DEPLOYED = Path.of("..", "deploy", "base", "crds");
  static final List<String> CRDS =
      List.of(
          "trainingjobs.kiln.dev-v1.yml",
          "tuningjobs.kiln.dev-v1.yml",
          "inferenceendpoints.kiln.dev-v1.yml",
          "queues.kiln.dev-v1.yml");

  @Test
  void deployedCrdsMatchTheGeneratedOnes() throws IOException {
    for (String crd : CRDS) {
      assertThat(Files.readString(DEPLOYED.resolve(crd)))
          .as(
              "deploy/base/crds/%s is stale: copy operator-crds/target/classes/META-INF/fabric8/%s",
              crd, crd)
          .isEqualTo(Files.readString(GENERATED.resolve(crd)));
    }
  }

  @Test
  void everyCrdHasTheStatusSubresourceTheKilnCategoryAndPrinterColumns() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    for (String crd : CRDS) {
      JsonNode spec = yaml.readTree(GENERATED.resolve(crd).toFile()).path("spec");
      JsonNode version = spec.path("versions").get(0);
      assertThat(version.path("subresources").has("status")).as(crd).isTrue();
      assertThat(spec.path("names").path("categories").toString()).contains("kiln");
      assertThat(version.path("additionalPrinterColumns").size()).as(crd).isGreaterThanOrEqualTo(4);
    }
  }

  @Test
  void queueIsClusterScopedAndTheRestNamespaced() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    for (String crd : CRDS) {
      String scope =
          yaml.readTree(GENERATED.resolve(crd).toFile()).path("spec").path("scope").asText();
      assertThat(scope).as(crd).isEqualTo(crd.startsWith("queues") ? "Cluster" : "Namespaced");
    }
  }
}
