package dev.kiln.controlplane.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.Manifests;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.status.TrainingJobStatus;
import dev.kiln.controlplane.core.CorePolicy;
import dev.kiln.controlplane.core.Decision;
import dev.kiln.controlplane.core.DecisionRunner;
import dev.kiln.controlplane.core.TrainingJobCore;
import java.time.Duration;
import java.time.Instant;

/** Drives the core like a shell does: observe, decide, act, write status, against fakes. */
public final class CoreHarness {
  public final TrainingJob job;
  public final FakeWorkloads world;
  public Instant now = Instant.parse("2025-01-01T00:00:00Z");
  public Decision last;
  private final TrainingJobCore core;
  private final DecisionRunner runner;

  public CoreHarness(TrainingJob job, CorePolicy policy) {
    this.job = job;
    this.world = new FakeWorkloads(() -> now);
    this.core = new TrainingJobCore(policy);
    this.runner = new DecisionRunner(world, world);
  }

  public CoreHarness(TrainingJob job) {
    this(
        job,
        new CorePolicy(
            Duration.ofSeconds(10),
            Duration.ofMinutes(5),
            Duration.ofSeconds(5),
            Duration.ofSeconds(30)));
  }

  /** One reconcile: the decision's actions are applied to the world and its status stored. */
  public Decision reconcile() {
    last = core.reconcile(job, world.observe(job), now);
    runner.run(job, last);
    if (last.statusChanged(job.getStatus())) {
      job.setStatus(Manifests.copy(last.status()));
    }
    return last;
  }

  /** Reconciles until nothing changes any more; fails if that takes more than a few rounds. */
  public CoreHarness settle() {
    for (int i = 0; i < 10; i++) {
      TrainingJobStatus before = job.getStatus() == null ? null : Manifests.copy(job.getStatus());
      Decision d = reconcile();
      if (d.actions().isEmpty() && !d.statusChanged(before)) {
        return this;
      }
    }
    throw new AssertionError("the core did not settle: " + last);
  }

  /** Reconciling again with the world unchanged changes nothing. */
  public void assertSteady() {
    TrainingJobStatus before = Manifests.copy(job.getStatus());
    Decision again = core.reconcile(job, world.observe(job), now);
    assertThat(again.actions()).as("actions of a second reconcile").isEmpty();
    assertThat(again.statusChanged(before)).as("status changed on a second reconcile").isFalse();
  }

  public void advance(Duration d) {
    now = now.plus(d);
  }

  public TrainingJobStatus status() {
    return job.getStatus();
  }

  /** The condition's {@code status/reason}, e.g. {@code False/OOMKilled}. */
  public String condition(String type) {
    return job.getStatus().conditions.stream()
        .filter(c -> c.getType().equals(type))
        .map(c -> c.getStatus() + "/" + c.getReason())
        .findFirst()
        .orElse("absent");
  }

  public String conditionMessage(String type) {
    return job.getStatus().conditions.stream()
        .filter(c -> c.getType().equals(type))
        .map(c -> c.getMessage())
        .findFirst()
        .orElse(null);
  }
}
