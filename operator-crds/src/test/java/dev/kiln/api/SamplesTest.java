package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.api.validation.SpecValidator;
import dev.kiln.api.validation.Violation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SamplesTest {
  static final Path SAMPLES = Path.of("..", "samples");
  static final Path JAVA_ONLY = Path.of("src", "test", "resources", "invalid");

  static Stream<Path> validSamples() throws IOException {
    return yamls(SAMPLES).filter(p -> !p.getFileName().toString().contains("invalid"));
  }

  static Stream<Path> invalidSamples() throws IOException {
    return Stream.concat(
        yamls(SAMPLES).filter(p -> p.getFileName().toString().contains("invalid")),
        yamls(JAVA_ONLY));
  }

  @ParameterizedTest
  @MethodSource("validSamples")
  void validSamplePassesTheValidator(Path sample) throws IOException {
    HasMetadata resource = Manifests.parse(Files.readString(sample));
    assertThat(SpecValidator.validate(resource)).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("invalidSamples")
  void invalidSampleFailsWithAMessageSayingWhat(Path sample) throws IOException {
    String text = Files.readString(sample);
    assertThat(text).as("an invalid sample says what is wrong").startsWith("# Invalid");
    List<Violation> violations;
    try {
      violations = SpecValidator.validate(Manifests.parse(text));
    } catch (Manifests.ManifestException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(violations).isNotEmpty();
    assertThat(violations).allSatisfy(v -> assertThat(v.path()).isNotBlank());
  }

  @org.junit.jupiter.api.Test
  void everyKindHasAValidAndAnInvalidSample() throws IOException {
    for (String kind : List.of("trainingjob", "tuningjob", "inferenceendpoint", "queue")) {
      assertThat(yamls(SAMPLES).map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith(kind) && !n.contains("invalid"))
          .anyMatch(n -> n.startsWith(kind) && n.contains("invalid"));
    }
  }

  @org.junit.jupiter.api.Test
  void unknownEnumValueNamesTheFieldAndTheChoices() {
    assertThatThrownBy(() -> Manifests.parse(read("trainingjob-invalid-unknown-loss.yaml")))
        .hasMessageContaining("spec.algorithm.loss")
        .hasMessageContaining("'hinge' is not one of [mse, cross_entropy, binary_cross_entropy]");
  }

  @org.junit.jupiter.api.Test
  void unknownFieldIsRejectedWithTheKnownOnes() throws IOException {
    assertThatThrownBy(
            () ->
                Manifests.parse(
                    Files.readString(JAVA_ONLY.resolve("trainingjob-unknown-field.yaml"))))
        .hasMessageContaining("unknown field 'spec.algorithm.optimiser'")
        .hasMessageContaining("optimizer");
  }

  private static String read(String name) throws IOException {
    return Files.readString(SAMPLES.resolve(name));
  }

  private static Stream<Path> yamls(Path dir) throws IOException {
    return Files.list(dir)
        .filter(p -> p.toString().endsWith(".yaml"))
        .filter(p -> !p.getFileName().toString().startsWith("kustomization"))
        .sorted();
  }
}
