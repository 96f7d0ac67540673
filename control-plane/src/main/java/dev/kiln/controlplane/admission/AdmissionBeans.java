package dev.kiln.controlplane.admission;

import dev.kiln.controlplane.config.KilnConfig;
import dev.kiln.scheduler.core.GangScheduler;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Admission through the scheduler core (this bean is also the {@code Admission}) replaces the
 * admit-all default. In cluster mode it reads the cluster through its own informers; in local mode
 * {@link LocalAdmission} connects it to the local store once local mode is up.
 */
public class AdmissionBeans {

  @Produces
  @Singleton
  GangAdmission gangAdmission(
      KilnConfig config,
      AdmissionSettings settings,
      Instance<KubernetesClient> client,
      Clock clock) {
    GangAdmission admission = new GangAdmission(new GangScheduler(clock), clock);
    if (config.mode() == KilnConfig.Mode.cluster) {
      admission.attach(
          new KubernetesAdmissionBackend(client.get(), settings.rackLabel(), clock),
          settings.interval());
    }
    return admission;
  }

  void close(@Disposes GangAdmission admission) {
    admission.close();
  }
}
