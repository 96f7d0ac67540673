package dev.kiln.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EndpointSettingsTest {

  private static EndpointSettings of(Map<String, String> values) {
    return EndpointSettings.from(name -> Optional.ofNullable(values.get(name)));
  }

  @Test
  void defaults() {
    EndpointSettings s = of(Map.of("kiln.model.uri", "s3://models/x/model/"));
    assertThat(s.modelUri()).isEqualTo("s3://models/x/model/");
    assertThat(s.modelName()).isEmpty();
    assertThat(s.modelFormat()).isEqualTo("auto");
    assertThat(s.batching().maxBatchSize()).isEqualTo(32);
    assertThat(s.batching().maxDelayMicros()).isEqualTo(1000);
    assertThat(s.batching().maxQueue()).isEqualTo(1024);
    assertThat(s.maxBodyBytes()).isEqualTo(16L << 20);
    assertThat(s.shutdownTimeout()).hasSeconds(30);
  }

  @Test
  void readsEveryKnob() {
    EndpointSettings s =
        of(
            Map.of(
                "kiln.model.name", "digits",
                "kiln.model.format", "onnx",
                "kiln.max.batch.size", "64",
                "kiln.max.delay.micros", "3600000000",
                "kiln.max.queue", "10",
                "kiln.max.body.bytes", "1000",
                "kiln.threads", "2"));
    assertThat(s.modelName()).hasValue("digits");
    assertThat(s.batching().maxDelayMicros()).isEqualTo(3_600_000_000L);
    assertThat(s.batching().maxBatchSize()).isEqualTo(64);
    assertThat(s.threads()).isEqualTo(2);
  }

  @Test
  void batchingOffMeansBatchesOfOne() {
    EndpointSettings s = of(Map.of("kiln.batching", "off", "kiln.max.batch.size", "64"));
    assertThat(s.batching().maxBatchSize()).isEqualTo(1);
  }

  @Test
  void badValuesNameTheVariable() {
    assertThatThrownBy(() -> of(Map.of("kiln.max.batch.size", "lots")))
        .hasMessage("KILN_MAX_BATCH_SIZE must be a whole number, got lots");
    assertThatThrownBy(() -> of(Map.of("kiln.batching", "maybe")))
        .hasMessageContaining("KILN_BATCHING must be on or off");
    assertThatThrownBy(() -> of(Map.of("kiln.model.format", "pt")))
        .hasMessageContaining("KILN_MODEL_FORMAT must be auto, kiln or onnx");
    assertThatThrownBy(() -> of(Map.of("kiln.max.batch.size", "0")))
        .hasMessageContaining("maxBatchSize must be at least 1");
  }
}
