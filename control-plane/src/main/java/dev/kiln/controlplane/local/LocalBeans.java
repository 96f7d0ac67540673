package dev.kiln.controlplane.local;

import dev.kiln.controlplane.core.MetricsStore;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Wires the local shell's side of shared ports; looked up only in local mode. */
public class LocalBeans {

  /** ReportMetrics writes into the local store's TrainingJob status. */
  @Produces
  @Singleton
  @LookupIfProperty(name = "kiln.mode", stringValue = "local")
  MetricsStore localMetricsStore(LocalMode mode) {
    return new LocalMetricsStore(mode.require().store());
  }
}
