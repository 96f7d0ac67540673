package dev.kiln.controlplane.core;

/** Every reason Kiln writes into a TrainingJob's conditions and events, in CamelCase. */
public enum Reason {
  // progress
  ACCEPTED("Accepted"),
  QUEUED("Queued"),
  ATTEMPT_STARTED("AttemptStarted"),
  GANG_STARTING("GangStarting"),
  WAITING_FOR_TERMINATION("WaitingForTermination"),
  BACK_OFF("BackOff"),
  RANKS_RECREATED("RanksRecreated"),
  RUNNING("Running"),
  RANKS_READY("RanksReady"),
  RANKS_NOT_READY("RanksNotReady"),
  SUCCEEDED("Succeeded"),
  SUSPENDED("Suspended"),
  RESUMED("Resumed"),
  EPOCHS_RAISED("EpochsRaised"),
  RESTARTING("Restarting"),
  RESTARTED("Restarted"),
  AS_EXPECTED("AsExpected"),
  TTL_EXPIRED("TTLExpired"),
  // scheduling (the GangScheduled condition)
  ALL_RANKS_SCHEDULED("AllRanksScheduled"),
  WAITING_FOR_SCHEDULER("WaitingForScheduler"),
  NOT_CREATED("NotCreated"),
  // why a Queued job waits (the scheduler core's pending reasons)
  UNKNOWN_QUEUE("UnknownQueue"),
  EXCEEDS_QUOTA("ExceedsQuota"),
  QUOTA_EXHAUSTED("QuotaExhausted"),
  NO_FIT("NoFit"),
  BEHIND_HIGHER_PRIORITY("BehindHigherPriority"),
  WAITING_FOR_RESERVATION("WaitingForReservation"),
  // spec changes
  SPEC_APPLIED("SpecApplied"),
  SPEC_CHANGE_REFUSED("SpecChangeRefused"),
  // failures
  INVALID_SPEC("InvalidSpec"),
  IMAGE_PULL_BACK_OFF("ImagePullBackOff"),
  CONTAINER_CONFIG_ERROR("ContainerConfigError"),
  UNSCHEDULABLE("Unschedulable"),
  OOM_KILLED("OOMKilled"),
  RANK_FAILED("RankFailed"),
  EVICTED("Evicted"),
  PREEMPTED("Preempted"),
  RANK_LOST("RankLost"),
  GANG_START_TIMEOUT("GangStartTimeout"),
  DEADLINE_EXCEEDED("DeadlineExceeded");

  private final String text;

  Reason(String text) {
    this.text = text;
  }

  /** The CamelCase form written to the API, e.g. {@code OOMKilled}. */
  public String text() {
    return text;
  }

  /** The reason written as {@code text}, if Kiln has one. */
  public static java.util.Optional<Reason> ofText(String text) {
    for (Reason r : values()) {
      if (r.text.equals(text)) {
        return java.util.Optional.of(r);
      }
    }
    return java.util.Optional.empty();
  }

  @Override
  public String toString() {
    return text;
  }
}
