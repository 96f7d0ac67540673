package dev.kiln.scheduler.k8s;

import dev.kiln.scheduler.core.GangScheduler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kiln-scheduler Deployment's main: replicas elect a leader through a Lease, and only the
 * leader places gangs. Losing the lease ends the process so that a restarted replica starts clean,
 * with no reservations it can no longer vouch for.
 *
 * <p>Environment: {@code POD_NAMESPACE} (Lease namespace, default {@code kiln}), {@code POD_NAME}
 * (identity, default host name), {@code KILN_RACK_LABEL} (node label of the inner topology level,
 * default {@code kiln.dev/rack}; the outer is {@code topology.kubernetes.io/zone}).
 */
public final class KilnScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(KilnScheduler.class);
  static final String LEASE_NAME = "kiln-scheduler";

  private final KubernetesClient client;
  private final String namespace;
  private final String identity;
  private final Timing timing;
  private final SchedulerLoop loop;

  /** Lease timing; the defaults are kube-scheduler's. */
  record Timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    static final Timing DEFAULT =
        new Timing(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
  }

  KilnScheduler(
      KubernetesClient client, String namespace, String identity, String rackLabel, Timing timing) {
    this.client = client;
    this.namespace = namespace;
    this.identity = identity;
    this.timing = timing;
    Clock clock = Clock.systemUTC();
    GangBinder binder =
        new GangBinder(
            new BindPlanner(new GangScheduler(clock), rackLabel),
            new KubernetesPodBindings(client, clock));
    this.loop = new SchedulerLoop(client, binder);
  }

  public static void main(String[] args) {
    String namespace = env("POD_NAMESPACE", "kiln");
    String identity = env("POD_NAME", hostName());
    String rackLabel = env("KILN_RACK_LABEL", "kiln.dev/rack");
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      new KilnScheduler(client, namespace, identity, rackLabel, Timing.DEFAULT).start().join();
    } catch (RuntimeException e) {
      LOG.error("kiln-scheduler stopped", e);
    }
    LOG.info("kiln-scheduler is no longer the leader; exiting");
    System.exit(1);
  }

  /** Campaigns for the lease; completes when leadership is lost or the election is cancelled. */
  CompletableFuture<?> start() {
    LeaderElectionConfig config =
        new LeaderElectionConfigBuilder()
            .withName(LEASE_NAME)
            .withLock(new LeaseLock(namespace, LEASE_NAME, identity))
            .withLeaseDuration(timing.leaseDuration())
            .withRenewDeadline(timing.renewDeadline())
            .withRetryPeriod(timing.retryPeriod())
            .withReleaseOnCancel(true)
            .withLeaderCallbacks(
                new LeaderCallbacks(
                    loop::start,
                    loop::close,
                    leader -> LOG.info("kiln-scheduler leader is {}", leader)))
            .build();
    LeaderElector elector = client.leaderElector().withConfig(config).build();
    return elector.start();
  }

  /** Stops placing (the loop) without touching the lease. */
  void stopLoop() {
    loop.close();
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "kiln-scheduler";
    }
  }
}
