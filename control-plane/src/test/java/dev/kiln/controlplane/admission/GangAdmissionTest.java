package dev.kiln.controlplane.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.TrainingJob;
import dev.kiln.api.spec.Resources;
import dev.kiln.api.status.Phase;
import dev.kiln.api.status.TrainingJobStatus;
import dev.kiln.controlplane.core.Admission.Verdict;
import dev.kiln.controlplane.core.Reason;
import dev.kiln.controlplane.testing.Jobs;
import dev.kiln.scheduler.core.GangScheduler;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class GangAdmissionTest {
  final Clock clock = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
  final FakeBackend world = new FakeBackend();
  final GangAdmission admission = new GangAdmission(new GangScheduler(clock), clock);

  GangAdmissionTest() {
    admission.attach(world, null);
  }

  /** A job of {@code workers} ranks of {@code gpus} GPUs each, created at second {@code at}. */
  TrainingJob job(String name, int workers, int gpus, String queue, int priority, int at) {
    TrainingJob job = Jobs.algorithm(name, workers);
    job.getSpec().resources = new Resources("1", "1Gi", gpus);
    job.getSpec().queue = queue;
    job.getSpec().priority = priority;
    job.getMetadata().setCreationTimestamp(clock.instant().plusSeconds(at).toString());
    world.jobs.put(name, job);
    return job;
  }

  static void status(TrainingJob job, Phase phase, int attempt) {
    job.setStatus(new TrainingJobStatus());
    job.getStatus().phase = phase;
    job.getStatus().attempt = attempt;
  }

  @Test
  void admitsAJobThatFitsAndCountsItsReservationAgainstTheNext() {
    world.node("n1", 8);
    TrainingJob a = job("a", 2, 4, "default", 0, 1);
    TrainingJob b = job("b", 1, 4, "default", 0, 2);

    assertThat(admission.admit(a).admitted()).isTrue();
    Verdict vb = admission.admit(b);

    assertThat(vb.admitted()).isFalse();
    assertThat(vb.reason()).isEqualTo(Reason.NO_FIT);
    assertThat(vb.message()).isEqualTo("no node with 4 free GPUs; position 1 in queue default");
    assertThat(vb.position()).isEqualTo(1);
  }

  @Test
  void aJobOverItsQueuesQuotaWaitsWithTheExactNumbers() {
    world.node("n1", 8).node("n2", 8).node("n3", 8).queue("team-a", 16);
    TrainingJob running = job("running", 3, 4, "team-a", 0, 1);
    status(running, Phase.RUNNING, 1);
    world.run(running, 1, "n1");
    TrainingJob next = job("next", 2, 4, "team-a", 0, 2);

    Verdict v = admission.admit(next);

    assertThat(v.reason()).isEqualTo(Reason.QUOTA_EXHAUSTED);
    assertThat(v.message())
        .isEqualTo(
            "quota of queue team-a exhausted: 12/16 GPUs used, job needs 8;"
                + " position 1 in queue team-a");
    assertThat(world.queueStatus.get("team-a").admitted).isEqualTo(1);
    assertThat(world.queueStatus.get("team-a").pending).isEqualTo(1);
    assertThat(world.queueStatus.get("team-a").used.gpu).isEqualTo(12);
  }

  @Test
  void aJobBehindHigherPriorityJobsSaysHowManyAndItsPosition() {
    world.node("n1", 8);
    TrainingJob big = job("big", 1, 8, "default", 10, 0);
    status(big, Phase.RUNNING, 1);
    world.run(big, 1, "n1");
    for (int i = 0; i < 3; i++) {
      job("high-" + i, 1, 8, "default", 5, i);
    }
    TrainingJob low = job("low", 1, 1, "default", 0, 10);

    Verdict v = admission.admit(low);

    assertThat(v.admitted()).isFalse();
    assertThat(v.position()).isEqualTo(4);
    assertThat(v.message()).startsWith("no node with 1 free GPU");
  }

  @Test
  void aHigherPriorityGangPreemptsALowerOneWhichIsRequeuedAsPreempted() {
    world.node("n1", 8);
    TrainingJob low = job("low", 2, 4, "default", 0, 0);
    status(low, Phase.RUNNING, 1);
    world.run(low, 1, "n1");
    TrainingJob high = job("high", 1, 8, "default", 10, 5);

    assertThat(admission.admit(high).admitted()).isTrue();
    assertThat(world.evictions)
        .singleElement()
        .asString()
        .startsWith("low#1: preempted by ml/high");

    Verdict v = admission.admit(low);
    assertThat(v.preempts(1)).isTrue();
    assertThat(v.reason()).isEqualTo(Reason.PREEMPTED);

    // The job moved on to attempt 2 (not a restart): it waits behind the preemptor.
    status(low, Phase.QUEUED, 2);
    Verdict next = admission.admit(low);
    assertThat(next.preempts(2)).isFalse();
    assertThat(next.admitted()).isFalse();
    assertThat(next.reason()).isEqualTo(Reason.NO_FIT);
  }

  @Test
  void aReservationEndsWhenTheJobFinishes() {
    world.node("n1", 8);
    TrainingJob a = job("a", 1, 8, "default", 0, 1);
    TrainingJob b = job("b", 1, 8, "default", 0, 2);
    assertThat(admission.admit(a).admitted()).isTrue();
    assertThat(admission.admit(b).admitted()).isFalse();

    status(a, Phase.SUCCEEDED, 1);

    assertThat(admission.admit(b).admitted()).isTrue();
  }

  @Test
  void aJobNamingAMissingQueueWaitsForIt() {
    world.node("n1", 8);
    TrainingJob j = job("j", 1, 1, "nope", 0, 1);

    Verdict v = admission.admit(j);

    assertThat(v.reason()).isEqualTo(Reason.UNKNOWN_QUEUE);
    assertThat(v.message()).startsWith("queue nope does not exist");
  }
}
