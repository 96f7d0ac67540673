package dev.kiln.api;

/** Names shared by every Kiln component: the API group, labels, annotations. */
public final class Kiln {
  public static final String GROUP = "kiln.dev";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  public static final String LABEL_JOB = "kiln.dev/job";
  public static final String LABEL_JOB_UID = "kiln.dev/job-uid";
  public static final String LABEL_ATTEMPT = "kiln.dev/attempt";
  public static final String LABEL_RANK = "kiln.dev/rank";
  public static final String LABEL_GANG_SIZE = "kiln.dev/gang-size";
  public static final String LABEL_QUEUE = "kiln.dev/queue";
  public static final String LABEL_PRIORITY = "kiln.dev/priority";
  public static final String LABEL_COMPONENT = "app.kubernetes.io/component";
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "kiln";

  public static final String SCHEDULER_NAME = "kiln-scheduler";
  public static final int MASTER_PORT = 29500;
  public static final int METRICS_PORT = 9090;

  private Kiln() {}
}
