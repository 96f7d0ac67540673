package dev.kiln.controlplane.kubernetes;

import dev.kiln.controlplane.config.KilnConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the Kubernetes operator in cluster mode (the default), after checking that the CRDs are
 * installed and the permissions suffice; in local mode ({@code KILN_MODE=local}) it starts nothing
 * and never touches the Kubernetes client. {@code quarkus.operator-sdk.start-operator} is off so
 * that this choice is made at run time.
 */
@ApplicationScoped
public class OperatorLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorLauncher.class);

  private final KilnConfig config;
  private final Instance<Operator> operator;
  private final Instance<KubernetesClient> client;
  private volatile boolean started;

  public OperatorLauncher(
      KilnConfig config, Instance<Operator> operator, Instance<KubernetesClient> client) {
    this.config = config;
    this.operator = operator;
    this.client = client;
  }

  void onStart(@Observes StartupEvent event) {
    if (config.mode() != KilnConfig.Mode.cluster) {
      LOG.info("Kiln control plane in {} mode: the Kubernetes operator is off", config.mode());
      return;
    }
    KubernetesClient kube = client.get();
    if (config.startupCheck().enabled()) {
      StartupCheck.Report report = StartupCheck.run(kube);
      report.problems().forEach(LOG::error);
      if (!report.unverified().isEmpty()) {
        LOG.info(
            "could not verify {} permission(s) (no verdict from the server)",
            report.unverified().size());
      }
      if (report.fatal() && config.startupCheck().exitOnMissingCrds()) {
        LOG.error("Kiln control plane cannot start its operator; exiting");
        Quarkus.asyncExit(1);
        return;
      }
    }
    LOG.info("Kiln control plane in cluster mode against {}", kube.getMasterUrl());
    operator.get().start();
    started = true;
  }

  void onStop(@Observes ShutdownEvent event) {
    if (started) {
      operator.get().stop();
    }
  }
}
