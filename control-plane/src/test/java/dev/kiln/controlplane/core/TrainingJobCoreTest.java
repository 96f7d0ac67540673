package dev.kiln.controlplane.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.TrainingJob;
import dev.kiln.api.status.Phase;
import dev.kiln.controlplane.testing.CoreHarness;
import dev.kiln.controlplane.testing.Jobs;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TrainingJobCoreTest {

  private static CoreHarness started(int workers) {
    CoreHarness h = new CoreHarness(Jobs.algorithm("mnist", workers));
    h.settle();
    return h;
  }

  private static CoreHarness running(int workers) {
    CoreHarness h = started(workers);
    h.world.runAll(1);
    h.settle();
    return h;
  }

  @Test
  void newJobStartsEveryRankOfAttemptOneOnceAndStaysPending() {
    CoreHarness h = new CoreHarness(Jobs.algorithm("mnist", 4));
    Decision first = h.reconcile();

    assertThat(first.actions()).hasAtLeastOneElementOfType(Action.Prepare.class);
    assertThat(h.world.created).containsExactly("mnist-1-0", "mnist-1-1", "mnist-1-2", "mnist-1-3");
    assertThat(h.status().phase).isEqualTo(Phase.PENDING);
    assertThat(h.status().attempt).isEqualTo(1);
    assertThat(h.status().restarts).isZero();
    assertThat(h.status().lastReconciledSpec).contains("\"workers\":4");
    assertThat(h.status().observedGeneration).isEqualTo(1L);
    assertThat(h.world.preparedSpec).contains("\"epochs\":5");
    assertThat(h.world.events).anyMatch(e -> e.startsWith("Normal AttemptStarted"));
    assertThat(first.requeueAfter()).contains(Duration.ofSeconds(300));

    h.reconcile();
    assertThat(h.world.created).hasSize(4);
    assertThat(h.status().ranks).isEqualTo("0/4");
    assertThat(h.condition(JobConditions.GANG_SCHEDULED)).isEqualTo("False/WaitingForScheduler");
    assertThat(h.condition(JobConditions.READY)).isEqualTo("False/GangStarting");
    assertThat(h.condition(JobConditions.PROGRESSING)).isEqualTo("True/GangStarting");
    h.assertSteady();
  }

  @Test
  void allRanksRunningMakesTheJobRunningAndReady() {
    CoreHarness h = running(4);

    assertThat(h.status().phase).isEqualTo(Phase.RUNNING);
    assertThat(h.status().ranks).isEqualTo("4/4");
    assertThat(h.status().startTime).isEqualTo("2025-01-01T00:00:00Z");
    assertThat(h.condition(JobConditions.READY)).isEqualTo("True/RanksReady");
    assertThat(h.condition(JobConditions.GANG_SCHEDULED)).isEqualTo("True/AllRanksScheduled");
    assertThat(h.condition(JobConditions.DEGRADED)).isEqualTo("False/AsExpected");
    assertThat(h.world.events).anyMatch(e -> e.startsWith("Normal Running"));
    h.assertSteady();
  }

  @Test
  void allRanksSucceededMakesTheJobSucceededAndStopsNothing() {
    CoreHarness h = running(2);
    h.advance(Duration.ofMinutes(3));
    h.world.succeedAll(1);
    h.settle();

    assertThat(h.status().phase).isEqualTo(Phase.SUCCEEDED);
    assertThat(h.status().completionTime).isEqualTo("2025-01-01T00:03:00Z");
    assertThat(h.status().modelUri).isEqualTo("s3://models/mnist/model/");
    assertThat(h.world.ranks.values()).allMatch(r -> r.phase() == RankPhase.SUCCEEDED);
    assertThat(h.condition(JobConditions.PROGRESSING)).isEqualTo("False/Succeeded");
    h.assertSteady();
  }

  @Test
  void aFailedRankStopsItsAttemptAndTheNextStartsOnlyWhenTheOldRanksAreGoneAfterBackoff() {
    CoreHarness h = running(4);
    h.world.graceful = true;
    h.world.fail("mnist-1-2", RankProblem.EXIT_NON_ZERO, 1, "Traceback...\nValueError: bad batch");
    h.reconcile();

    assertThat(h.status().restarts).isEqualTo(1);
    assertThat(h.status().attempt).isEqualTo(2);
    assertThat(h.status().phase).isEqualTo(Phase.PENDING);
    assertThat(h.condition(JobConditions.DEGRADED)).isEqualTo("True/RankFailed");
    assertThat(h.conditionMessage(JobConditions.DEGRADED))
        .contains("attempt 1 failed: rank 2 exited (exit code 1)", "ValueError: bad batch");
    assertThat(h.world.ranks.values()).allMatch(RankState::deleting);
    assertThat(h.world.events).anyMatch(e -> e.startsWith("Warning RankFailed: attempt 1 failed"));
    h.assertSteady();

    h.advance(Duration.ofSeconds(30));
    h.settle();
    assertThat(h.world.created)
        .as("nothing of attempt 2 while attempt 1's ranks linger")
        .hasSize(4);

    h.world.finishDeletions();
    h.settle();
    assertThat(h.world.created).hasSize(8).contains("mnist-2-0", "mnist-2-3");
    assertThat(h.condition(JobConditions.DEGRADED)).isEqualTo("False/Restarted");
    h.world.runAll(2);
    h.settle();
    assertThat(h.status().phase).isEqualTo(Phase.RUNNING);
    assertThat(h.status().restarts).isEqualTo(1);
    h.assertSteady();
  }

  @Test
  void theNextAttemptWaitsForTheBackoff() {
    CoreHarness h = running(2);
    h.world.fail("mnist-1-0", RankProblem.OOM_KILLED, 137, null);
    h.reconcile();

    assertThat(h.condition(JobConditions.DEGRADED)).isEqualTo("True/OOMKilled");
    Decision d = h.reconcile();
    assertThat(d.requeueAfter()).contains(Duration.ofSeconds(10));
    h.settle();
    assertThat(h.world.ranks).isEmpty();
    h.advance(Duration.ofSeconds(9));
    h.settle();
    assertThat(h.world.ranks).isEmpty();
    h.advance(Duration.ofSeconds(1));
    h.settle();
    assertThat(h.world.ranks).containsOnlyKeys("mnist-2-0", "mnist-2-1");
  }

  @Test
  void noRestartsLeftFailsTheJobAndStopsOnlyWhatStillRuns() {
    TrainingJob job = Jobs.algorithm("mnist", 2);
    job.getSpec().maxRestarts = 0;
    CoreHarness h = new CoreHarness(job).settle();
    h.world.runAll(1);
    h.settle();
    h.world.fail("mnist-1-1", RankProblem.OOM_KILLED, 137, "killed");
    h.settle();

    assertThat(h.status().phase).isEqualTo(Phase.FAILED);
    assertThat(h.world.ranks).containsOnlyKeys("mnist-1-1");
    assertThat(h.condition(JobConditions.READY)).isEqualTo("False/OOMKilled");
    assertThat(h.conditionMessage(JobConditions.READY))
        .contains("rank 1 was OOMKilled (exit code 137)", "no restarts left (maxRestarts=0)");
    assertThat(h.status().completionTime).isNotNull();
    h.assertSteady();
  }

  @Test
  void ranksDeletedBeforeTheyRanAreRecreatedInTheSameAttempt() {
    CoreHarness h = started(3);
    h.world.ranks.remove("mnist-1-1");
    h.settle();

    assertThat(h.world.ranks).containsKeys("mnist-1-0", "mnist-1-1", "mnist-1-2");
    assertThat(h.status().attempt).isEqualTo(1);
    assertThat(h.status().restarts).isZero();
    assertThat(h.world.events).anyMatch(e -> e.startsWith("Normal RanksRecreated"));
    h.assertSteady();
  }

  @Test
  void aRankDeletedWhileRunningFailsTheAttempt() {
    CoreHarness h = running(2);
    h.world.ranks.remove("mnist-1-1");
    h.reconcile();

    assertThat(h.status().restarts).isEqualTo(1);
    assertThat(h.condition(JobConditions.DEGRADED)).isEqualTo("True/RankLost");
  }

  @Test
  void preemptionRequeuesWithoutCountingARestart() {
    CoreHarness h = running(2);
    h.world.graceful = true;
    h.world.fail("mnist-1-0", RankProblem.PREEMPTED, 143, "preempted by a higher-priority gang");
    h.reconcile();

    assertThat(h.status().phase).isEqualTo(Phase.QUEUED);
    assertThat(h.status().attempt).isEqualTo(2);
    assertThat(h.status().restarts).isZero();
    assertThat(h.condition(JobConditions.PROGRESSING)).isEqualTo("True/Preempted");
    h.assertSteady();

    h.world.finishDeletions();
    h.settle();
    assertThat(h.world.ranks).containsOnlyKeys("mnist-2-0", "mnist-2-1");
    assertThat(h.status().phase).isEqualTo(Phase.PENDING);
  }

  @Test
  void aGangNotRunningWithinTheStartupTimeoutIsTornDownAndRetriedWithTheCause() {
    CoreHarness h = started(2);
    h.world.runAll(1);
    h.world.stuck("mnist-1-1", RankProblem.IMAGE_PULL, "Back-off pulling image \"x\"");
    h.settle();
    assertThat(h.condition(JobConditions.READY)).isEqualTo("False/ImagePullBackOff");
    assertThat(h.conditionMessage(JobConditions.PROGRESSING))
        .isEqualTo(
            "attempt 1: 1/2 rank(s) running; rank 1 cannot pull its image: Back-off pulling image \"x\"");

    h.advance(Duration.ofSeconds(300));
    h.reconcile();
    assertThat(h.status().restarts).isEqualTo(1);
    assertThat(h.condition(JobConditions.DEGRADED)).isEqualTo("True/ImagePullBackOff");
    assertThat(h.conditionMessage(JobConditions.DEGRADED))
        .contains("1/2 rank(s) running after startupTimeoutSeconds=300");
  }

  @Test
  void aGangWithoutAKnownCauseTimesOutAsGangStartTimeout() {
    CoreHarness h = started(2);
    h.advance(Duration.ofSeconds(301));
    h.reconcile();
    assertThat(h.condition(JobConditions.DEGRADED)).isEqualTo("True/GangStartTimeout");
  }

  @Test
  void unschedulableRanksShowInGangScheduled() {
    CoreHarness h = started(2);
    h.world.stuck("mnist-1-0", RankProblem.UNSCHEDULABLE, "0/3 nodes have enough nvidia.com/gpu");
    h.settle();
    assertThat(h.condition(JobConditions.GANG_SCHEDULED)).isEqualTo("False/Unschedulable");
    assertThat(h.conditionMessage(JobConditions.GANG_SCHEDULED))
        .contains("0/3 nodes have enough nvidia.com/gpu");
    assertThat(h.condition(JobConditions.READY)).isEqualTo("False/Unschedulable");
  }

  @Test
  void theActiveDeadlineFailsTheJobAndStopsEveryRank() {
    TrainingJob job = Jobs.algorithm("mnist", 2);
    job.getSpec().activeDeadlineSeconds = 60L;
    CoreHarness h = new CoreHarness(job).settle();
    h.world.runAll(1);
    h.settle();
    h.advance(Duration.ofSeconds(60));
    h.settle();

    assertThat(h.status().phase).isEqualTo(Phase.FAILED);
    assertThat(h.condition(JobConditions.DEGRADED)).isEqualTo("True/DeadlineExceeded");
    assertThat(h.world.ranks).isEmpty();
    h.assertSteady();
  }

  @Test
  void anInvalidSpecFailsAtOnceCreatingNothingAndAFixRevivesIt() {
    TrainingJob job = Jobs.algorithm("mnist", 2);
    job.getSpec().workers = 0;
    CoreHarness h = new CoreHarness(job).settle();

    assertThat(h.status().phase).isEqualTo(Phase.FAILED);
    assertThat(h.condition(JobConditions.READY)).isEqualTo("False/InvalidSpec");
    assertThat(h.conditionMessage(JobConditions.READY)).contains("workers");
    assertThat(h.world.created).isEmpty();
    assertThat(h.world.preparedDigest).isNull();
    h.assertSteady();

    job.getSpec().workers = 2;
    job.getMetadata().setGeneration(2L);
    h.settle();
    assertThat(h.status().phase).isEqualTo(Phase.PENDING);
    assertThat(h.world.created).containsExactly("mnist-1-0", "mnist-1-1");
  }

  @Test
  void suspendStopsTheRanksAndResumeStartsTheNextAttempt() {
    CoreHarness h = running(2);
    h.job.getSpec().suspend = true;
    h.job.getMetadata().setGeneration(2L);
    h.settle();
    assertThat(h.status().phase).isEqualTo(Phase.SUSPENDED);
    assertThat(h.world.ranks).isEmpty();
    h.assertSteady();

    h.job.getSpec().suspend = false;
    h.job.getMetadata().setGeneration(3L);
    h.settle();
    assertThat(h.status().phase).isEqualTo(Phase.PENDING);
    assertThat(h.status().attempt).isEqualTo(2);
    assertThat(h.status().restarts).isZero();
    assertThat(h.world.ranks).containsOnlyKeys("mnist-2-0", "mnist-2-1");
  }

  @Test
  void raisingEpochsOfASucceededJobStartsANewAttemptWithTheNewSpec() {
    CoreHarness h = running(2);
    h.world.succeedAll(1);
    h.settle();
    String digest = h.world.preparedDigest;

    h.job.getSpec().algorithm.epochs = 4;
    h.job.getMetadata().setGeneration(2L);
    h.settle();
    assertThat(h.condition(JobConditions.SPEC_APPLIED)).isEqualTo("False/SpecChangeRefused");
    assertThat(h.status().phase).isEqualTo(Phase.SUCCEEDED);

    h.job.getSpec().algorithm.epochs = 9;
    h.job.getMetadata().setGeneration(3L);
    h.settle();
    assertThat(h.condition(JobConditions.SPEC_APPLIED)).isEqualTo("True/SpecApplied");
    assertThat(h.status().attempt).isEqualTo(2);
    assertThat(h.status().restarts).isZero();
    assertThat(h.status().phase).isEqualTo(Phase.PENDING);
    assertThat(h.status().completionTime).isNull();
    assertThat(h.world.ranks).containsOnlyKeys("mnist-2-0", "mnist-2-1");
    assertThat(h.world.preparedDigest).isNotEqualTo(digest);
    assertThat(h.world.preparedSpec).contains("\"epochs\":9");
    assertThat(h.world.events).anyMatch(e -> e.contains("algorithm.epochs raised from 5 to 9"));
    h.assertSteady();
  }

  @Test
  void otherSpecChangesToARunningJobAreRefusedAndTheJobKeepsRunning() {
    CoreHarness h = running(2);
    h.job.getSpec().workers = 4;
    h.job.getSpec().maxRestarts = 7;
    h.job.getMetadata().setGeneration(2L);
    h.settle();

    assertThat(h.condition(JobConditions.SPEC_APPLIED)).isEqualTo("False/SpecChangeRefused");
    assertThat(h.conditionMessage(JobConditions.SPEC_APPLIED))
        .startsWith("spec.workers cannot change while the job is Running");
    assertThat(h.status().lastReconciledSpec).contains("\"workers\":2", "\"maxRestarts\":7");
    assertThat(h.world.ranks).hasSize(2);
    assertThat(h.status().phase).isEqualTo(Phase.RUNNING);
    assertThat(h.world.events).filteredOn(e -> e.contains("SpecChangeRefused")).hasSize(1);
    h.assertSteady();
  }

  @Test
  void ttlDeletesAFinishedJob() {
    TrainingJob job = Jobs.algorithm("mnist", 1);
    job.getSpec().ttlSecondsAfterFinished = 600L;
    CoreHarness h = new CoreHarness(job).settle();
    h.world.runAll(1);
    h.world.succeedAll(1);
    Decision d = h.reconcile();
    assertThat(d.requeueAfter()).contains(Duration.ofSeconds(600));
    h.advance(Duration.ofSeconds(599));
    h.settle();
    assertThat(h.world.deleted).isFalse();
    h.advance(Duration.ofSeconds(1));
    h.reconcile();
    assertThat(h.world.deleted).isTrue();
  }

  @Test
  void aJobNotAdmittedIsQueuedWithItsPositionAndNoRanks() {
    CoreHarness h = new CoreHarness(Jobs.algorithm("mnist", 2));
    h.world.admission = Admission.Verdict.queued(3, "queue default: 3rd, needs 2 gpu");
    h.settle();
    assertThat(h.status().phase).isEqualTo(Phase.QUEUED);
    assertThat(h.status().queuePosition).isEqualTo(3);
    assertThat(h.world.ranks).isEmpty();
    assertThat(h.condition(JobConditions.PROGRESSING)).isEqualTo("True/Queued");
    h.assertSteady();

    h.world.admission = Admission.Verdict.ADMITTED;
    h.settle();
    assertThat(h.status().phase).isEqualTo(Phase.PENDING);
    assertThat(h.status().queuePosition).isNull();
    assertThat(h.world.ranks).hasSize(2);
  }

  @Test
  void leftoverRanksOfEarlierAttemptsAreStopped() {
    CoreHarness h = running(1);
    h.world.start(h.job, h.job.getSpec(), 7, java.util.List.of(0));
    h.settle();
    assertThat(h.world.ranks).containsOnlyKeys("mnist-1-0");
  }

  @Test
  void aQueuedJobShowsTheExactBlockerInGangScheduledAndLooksAgain() {
    CoreHarness h = new CoreHarness(Jobs.algorithm("mnist", 2));
    h.world.admission =
        Admission.Verdict.queued(
            2,
            Reason.QUOTA_EXHAUSTED,
            "quota of queue team-a exhausted: 12/16 GPUs used, job needs 8; position 2 in queue"
                + " team-a");
    h.settle();

    assertThat(h.status().phase).isEqualTo(Phase.QUEUED);
    assertThat(h.status().queuePosition).isEqualTo(2);
    assertThat(h.world.ranks).isEmpty();
    assertThat(h.condition(JobConditions.GANG_SCHEDULED)).isEqualTo("False/QuotaExhausted");
    assertThat(h.reconcile().requeueAfter()).isPresent();
    h.assertSteady();
  }

  @Test
  void anAdmissionEvictionRequeuesAsPreemptedEvenWhenThePodsAreAlreadyGone() {
    CoreHarness h = running(2);
    h.world.ranks.clear();
    h.world.admission = Admission.Verdict.preempted(1, "preempted by ml/high (priority 10 > 0)");
    h.reconcile();

    assertThat(h.status().phase).isEqualTo(Phase.QUEUED);
    assertThat(h.status().attempt).isEqualTo(2);
    assertThat(h.status().restarts).isZero();
    assertThat(h.condition(JobConditions.PROGRESSING)).isEqualTo("True/Preempted");
    assertThat(h.world.events).anyMatch(e -> e.contains("preempted by ml/high"));
    assertThat(h.world.ranks).isEmpty();

    h.world.admission = Admission.Verdict.ADMITTED;
    h.settle();
    assertThat(h.world.ranks).containsOnlyKeys("mnist-2-0", "mnist-2-1");
    assertThat(h.status().restarts).isZero();
  }
}
