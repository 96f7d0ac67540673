package dev.kiln.controlplane.admission;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Admission's settings ({@code kiln.scheduling.*}). In local mode the machine's size is detected
 * (cores, physical memory, {@code /dev/nvidiaN} devices); each dimension may be set instead.
 */
@ConfigMapping(prefix = "kiln.scheduling")
public interface AdmissionSettings {

  /** How often a cycle runs without a job being looked at (Queue status, freed capacity). */
  @WithDefault("2s")
  Duration interval();

  /** The node label of the inner topology level (the outer is the zone). */
  @WithDefault("kiln.dev/rack")
  String rackLabel();

  /** Local mode: the CPUs ranks may request together, e.g. {@code 8} or {@code 7500m}. */
  Optional<String> localCpu();

  /** Local mode: the memory ranks may request together, e.g. {@code 16Gi}. */
  Optional<String> localMemory();

  /** Local mode: the GPUs ranks may request together. */
  Optional<Integer> localGpu();
}
