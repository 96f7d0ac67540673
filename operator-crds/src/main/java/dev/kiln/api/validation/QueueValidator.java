package dev.kiln.api.validation;

import dev.kiln.api.spec.QueueSpec;

/** Checks a Queue spec. */
final class QueueValidator {
  private QueueValidator() {}

  static void validate(QueueSpec spec, Checks c) {
    if (spec == null) {
      return;
    }
    if (spec.quota != null) {
      c.atLeast("quota.gpu", spec.quota.gpu, 0);
      c.quantity("quota.cpu", spec.quota.cpu, false);
      c.quantity("quota.memory", spec.quota.memory, false);
    }
    c.positive("weight", spec.weight);
  }
}
