package dev.kiln.scheduler.k8s;

/** The binder's writes to the API server; a port so the binder's logic is tested apart from I/O. */
interface PodBindings {

  /** Binds the pod to the node (the Binding API); throws if the API server refuses. */
  void bind(String namespace, String pod, String node);

  /** Deletes the pod; the control plane recreates the gang's pods. */
  void delete(String namespace, String pod);

  /** Sets PodScheduled=False with reason and message, unless the pod already says exactly that. */
  void reportPending(String namespace, String pod, String reason, String message);
}
