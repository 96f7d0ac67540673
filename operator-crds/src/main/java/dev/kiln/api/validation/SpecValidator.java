package dev.kiln.api.validation;

import dev.kiln.api.InferenceEndpoint;
import dev.kiln.api.Queue;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.TuningJob;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one validator of Kiln specs, used by both modes: everything the CRD schema checks, plus what
 * it cannot (hyperparameter paths exist, layer shapes fit the loss, parameters apply to the trial).
 */
public final class SpecValidator {
  /** TrainingJob names leave room for {@code -<attempt>-<rank>} in 63-character pod hostnames. */
  public static final int MAX_JOB_NAME = 50;

  private SpecValidator() {}

  /** Every violation found; empty when the resource is valid. */
  public static List<Violation> validate(HasMetadata resource) {
    Checks c = new Checks();
    String name = resource.getMetadata() == null ? null : resource.getMetadata().getName();
    if (c.required("metadata.name", name)) {
      c.matches("metadata.name", name, Checks.DNS_LABEL, "a lower-case DNS label (a-z, 0-9, -)");
      if (name.length() > MAX_JOB_NAME) {
        c.fail("metadata.name", "must be at most " + MAX_JOB_NAME + " characters");
      }
    }
    Checks spec = c.at("spec");
    if (resource instanceof TrainingJob job) {
      TrainingJobValidator.validate(job.getSpec(), spec);
    } else if (resource instanceof TuningJob tune) {
      TuningJobValidator.validate(tune.getSpec(), spec);
    } else if (resource instanceof InferenceEndpoint endpoint) {
      EndpointValidator.validate(endpoint.getSpec(), spec);
    } else if (resource instanceof Queue queue) {
      QueueValidator.validate(queue.getSpec(), spec);
    } else {
      c.fail("kind", resource.getKind() + " is not a Kiln kind");
    }
    return List.copyOf(c.violations());
  }

  /** All violations on one line, for a condition message or an error. */
  public static String describe(List<Violation> violations) {
    return violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
  }

  /** Throws {@link InvalidSpecException} listing every violation. */
  public static void check(HasMetadata resource) {
    List<Violation> violations = validate(resource);
    if (!violations.isEmpty()) {
      throw new InvalidSpecException(resource, violations);
    }
  }

  /** A resource that fails validation. */
  public static class InvalidSpecException extends IllegalArgumentException {
    private final transient List<Violation> violations;

    public InvalidSpecException(HasMetadata resource, List<Violation> violations) {
      super(
          resource.getKind()
              + " "
              + (resource.getMetadata() == null ? "" : resource.getMetadata().getName())
              + " is invalid: "
              + describe(violations));
      this.violations = violations;
    }

    public List<Violation> violations() {
      return violations;
    }
  }
}
