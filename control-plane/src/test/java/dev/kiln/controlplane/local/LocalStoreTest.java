package dev.kiln.controlplane.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.api.Manifests;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.TuningJob;
import dev.kiln.api.status.Phase;
import dev.kiln.api.status.TrainingJobStatus;
import dev.kiln.api.validation.SpecValidator;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStoreTest {
  @TempDir Path home;
  private final Clock clock = Clock.fixed(Instant.parse("2026-05-01T10:00:00Z"), ZoneOffset.UTC);

  private static TrainingJob sample() throws IOException {
    return Manifests.parse(
        Files.readString(Path.of("..", "samples", "trainingjob-digits.yaml")), TrainingJob.class);
  }

  @Test
  void createAssignsUidGenerationAndResourceVersion() throws IOException {
    LocalStore store = new LocalStore(home, clock);
    TrainingJob created = store.create(sample());
    assertThat(created.getMetadata().getUid()).isNotBlank();
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(created.getMetadata().getResourceVersion()).isEqualTo("1");
    assertThat(created.getMetadata().getNamespace()).isEqualTo("default");
    assertThat(created.getMetadata().getCreationTimestamp()).isEqualTo("2026-05-01T10:00:00Z");
  }

  @Test
  void rejectsAnInvalidSpecWithTheValidatorsMessage() throws IOException {
    LocalStore store = new LocalStore(home, clock);
    TrainingJob job = sample();
    job.getSpec().workers = 0;
    assertThatThrownBy(() -> store.create(job))
        .isInstanceOf(SpecValidator.InvalidSpecException.class)
        .hasMessageContaining("spec.workers: must be between 1 and 4096");
    assertThat(store.list(TrainingJob.class, null)).isEmpty();
  }

  @Test
  void applyMovesGenerationOnlyWhenTheSpecChanges() throws IOException {
    LocalStore store = new LocalStore(home, clock);
    store.create(sample());
    TrainingJob same = store.apply(sample());
    assertThat(same.getMetadata().getGeneration()).isEqualTo(1L);
    TrainingJob changed = sample();
    changed.getSpec().algorithm.epochs = 30;
    TrainingJob updated = store.apply(changed);
    assertThat(updated.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(updated.getSpec().algorithm.epochs).isEqualTo(30);
  }

  @Test
  void statusWritesRefuseAStaleResourceVersionAndLeaveTheSpecAlone() throws IOException {
    LocalStore store = new LocalStore(home, clock);
    TrainingJob job = store.create(sample());
    job.setStatus(new TrainingJobStatus());
    job.getStatus().phase = Phase.RUNNING;
    job.getSpec().workers = 4;
    TrainingJob written = store.updateStatus(job);
    assertThat(written.getStatus().phase).isEqualTo(Phase.RUNNING);
    assertThat(written.getSpec().workers).as("status writes never touch the spec").isEqualTo(2);

    job.getStatus().phase = Phase.FAILED;
    assertThatThrownBy(() -> store.updateStatus(job))
        .isInstanceOf(LocalStore.StoreException.class)
        .hasMessageContaining("was modified");
  }

  @Test
  void survivesARestartWithTheSameResourcesAndCounter() throws IOException {
    LocalStore first = new LocalStore(home, clock);
    TrainingJob job = first.create(sample());
    LocalStore second = new LocalStore(home, clock);
    assertThat(second.get(TrainingJob.class, "default", "digits-mlp"))
        .hasValueSatisfying(
            j -> assertThat(j.getMetadata().getUid()).isEqualTo(job.getMetadata().getUid()));
    TrainingJob other = sample();
    other.getMetadata().setName("other");
    assertThat(second.create(other).getMetadata().getResourceVersion()).isEqualTo("2");
  }

  @Test
  void deleteRemovesWhatTheResourceOwns() throws IOException {
    LocalStore store = new LocalStore(home, clock);
    TuningJob sweep =
        store.create(
            Manifests.parse(
                Files.readString(Path.of("..", "samples", "tuningjob-digits-sweep.yaml")),
                TuningJob.class));
    TrainingJob trial = sample();
    trial.getMetadata().setName("digits-sweep-0");
    trial
        .getMetadata()
        .setOwnerReferences(
            List.of(
                new OwnerReferenceBuilder()
                    .withApiVersion("kiln.dev/v1alpha1")
                    .withKind("TuningJob")
                    .withName("digits-sweep")
                    .withUid(sweep.getMetadata().getUid())
                    .build()));
    store.create(trial);
    List<String> events = new ArrayList<>();
    store.addListener(e -> events.add(e.type() + " " + e.resource().getMetadata().getName()));

    assertThat(store.delete(TuningJob.class, "default", "digits-sweep")).isTrue();

    assertThat(store.list(TrainingJob.class, null)).isEmpty();
    assertThat(events).containsExactly("DELETED digits-sweep-0", "DELETED digits-sweep");
  }
}
