package dev.kiln.scheduler.k8s;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** {@link PodBindings} through fabric8: Binding objects, pod deletes, pod status conditions. */
final class KubernetesPodBindings implements PodBindings {
  private final KubernetesClient client;
  private final Clock clock;

  KubernetesPodBindings(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public void bind(String namespace, String pod, String node) {
    // POST /api/v1/namespaces/{ns}/bindings, as kube-scheduler binds: sets spec.nodeName
    // atomically and fails with 409 if the pod is already bound.
    Binding binding =
        new BindingBuilder()
            .withNewMetadata()
            .withName(pod)
            .withNamespace(namespace)
            .endMetadata()
            .withNewTarget()
            .withApiVersion("v1")
            .withKind("Node")
            .withName(node)
            .endTarget()
            .build();
    client.bindings().inNamespace(namespace).resource(binding).create();
  }

  @Override
  public void delete(String namespace, String pod) {
    client.pods().inNamespace(namespace).withName(pod).delete();
  }

  @Override
  public void reportPending(String namespace, String pod, String reason, String message) {
    Pod current = client.pods().inNamespace(namespace).withName(pod).get();
    if (current == null || alreadySays(current, reason, message)) {
      return;
    }
    client
        .pods()
        .inNamespace(namespace)
        .withName(pod)
        .editStatus(p -> withCondition(p, reason, message));
  }

  private static boolean alreadySays(Pod p, String reason, String message) {
    return p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(
                c ->
                    "PodScheduled".equals(c.getType())
                        && "False".equals(c.getStatus())
                        && reason.equals(c.getReason())
                        && message.equals(c.getMessage()));
  }

  private Pod withCondition(Pod p, String reason, String message) {
    PodStatus status = p.getStatus() == null ? new PodStatus() : p.getStatus();
    List<PodCondition> conditions = new ArrayList<>();
    if (status.getConditions() != null) {
      status.getConditions().stream()
          .filter(c -> !"PodScheduled".equals(c.getType()))
          .forEach(conditions::add);
    }
    conditions.add(
        new PodConditionBuilder()
            .withType("PodScheduled")
            .withStatus("False")
            .withReason(reason)
            .withMessage(message)
            .withLastTransitionTime(clock.instant().toString())
            .build());
    status.setConditions(conditions);
    p.setStatus(status);
    return p;
  }
}
