package dev.kiln.controlplane.endpoint;

import dev.kiln.api.TrainingJob;
import dev.kiln.api.spec.InferenceEndpointSpec.ModelSource;
import dev.kiln.api.status.Phase;
import java.util.Map;

/** Turns a model source into the URI replicas load: a URI as is, a TrainingJob once Succeeded. */
final class ModelResolver {
  private ModelResolver() {}

  /** A URI, or why there is none yet ({@code failed}: there will not be one without a change). */
  record Resolution(String uri, EndpointReason reason, String message, boolean failed) {
    static Resolution of(String uri) {
      return new Resolution(uri, null, null, false);
    }

    boolean resolved() {
      return uri != null;
    }
  }

  static Resolution resolve(ModelSource source, Map<String, TrainingJob> jobs) {
    if (source == null) {
      return new Resolution(null, EndpointReason.Deploying, "no model given", true);
    }
    if (source.uri != null) {
      return Resolution.of(source.uri);
    }
    TrainingJob job = jobs.get(source.trainingJob);
    if (job == null) {
      return new Resolution(
          null,
          EndpointReason.TrainingJobNotFound,
          "TrainingJob " + source.trainingJob + " not found; create it, or set model.uri",
          false);
    }
    var status = job.getStatus();
    Phase phase = status == null ? null : status.phase;
    if (phase == Phase.SUCCEEDED && status.modelUri != null) {
      return Resolution.of(status.modelUri);
    }
    if (phase == Phase.FAILED) {
      return new Resolution(
          null,
          EndpointReason.TrainingJobFailed,
          "TrainingJob " + source.trainingJob + " failed; it has no model to serve",
          true);
    }
    return new Resolution(
        null,
        EndpointReason.WaitingForTrainingJob,
        "waiting for TrainingJob "
            + source.trainingJob
            + " to succeed (now "
            + (phase == null ? "Pending" : phase.display())
            + ")",
        false);
  }
}
