package dev.kiln.controlplane.config;

import dev.kiln.controlplane.core.Admission;
import dev.kiln.controlplane.core.CorePolicy;
import dev.kiln.controlplane.core.JobTokens;
import dev.kiln.controlplane.core.TrainingJobCore;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The pieces both modes share: clock, core, tokens, admission. */
public class CoreBeans {
  private static final Logger LOG = LoggerFactory.getLogger(CoreBeans.class);

  @Produces
  @Singleton
  @DefaultBean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  @Singleton
  CorePolicy corePolicy(KilnConfig config) {
    KilnConfig.Training t = config.training();
    return new CorePolicy(
        t.restartBackoff(), t.maxRestartBackoff(), t.poll(), config.logMetricsInterval());
  }

  @Produces
  @Singleton
  TrainingJobCore trainingJobCore(CorePolicy policy) {
    return new TrainingJobCore(policy);
  }

  @Produces
  @Singleton
  JobTokens jobTokens(KilnConfig config) {
    if (config.tokenKey().isEmpty()) {
      LOG.warn(
          "kiln.token-key (KILN_TOKEN_KEY) is not set: job tokens are signed with a random key"
              + " and stop working when the control plane restarts");
      return JobTokens.ephemeral();
    }
    return new JobTokens(config.tokenKey().get().getBytes(StandardCharsets.UTF_8));
  }

  /** Admits every gang: the fallback where no {@code GangAdmission} bean is deployed. */
  @Produces
  @Singleton
  @DefaultBean
  Admission admission() {
    return Admission.ALL;
  }
}
