package dev.kiln.controlplane.tuning;

import dev.kiln.api.Kiln;
import dev.kiln.api.Manifests;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.TuningJob;
import dev.kiln.api.spec.TrainingJobSpec;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds trial k of a sweep from its template: the parameters set as hyperparameters, its own
 * output prefix {@code <template output>/<sweep>-<k>/}, its epoch budget, owned by the TuningJob,
 * and its index and parameters recorded in its annotations. Pure.
 */
public final class TrialFactory {
  private TrialFactory() {}

  public static TrainingJob build(
      TuningJob sweep, int index, Map<String, String> parameters, int epochs) {
    String name = TrialNames.trial(sweep.getMetadata().getName(), index);
    TrainingJobSpec spec = Manifests.copy(sweep.getSpec().trialTemplate.spec);
    Map<String, String> hyper = new LinkedHashMap<>();
    if (spec.hyperparameters != null) {
      hyper.putAll(spec.hyperparameters);
    }
    hyper.putAll(parameters);
    spec.hyperparameters = hyper;
    if (spec.algorithm != null) {
      spec.algorithm.epochs = epochs;
    }
    // Trials live as long as their sweep, which counts a vanished trial as lost.
    spec.ttlSecondsAfterFinished = null;
    if (spec.output != null && spec.output.uri != null) {
      String base = spec.output.uri.endsWith("/") ? spec.output.uri : spec.output.uri + "/";
      spec.output.uri = base + name + "/";
    }
    TrainingJob job = new TrainingJob();
    ObjectMeta meta = new ObjectMeta();
    meta.setName(name);
    meta.setNamespace(sweep.getMetadata().getNamespace());
    meta.setLabels(
        Map.of(
            TrialNames.LABEL_SWEEP,
            sweep.getMetadata().getName(),
            Kiln.LABEL_MANAGED_BY,
            Kiln.MANAGED_BY));
    meta.setAnnotations(
        Map.of(
            TrialNames.INDEX,
            Integer.toString(index),
            TrialNames.PARAMETERS,
            Manifests.toJson(new LinkedHashMap<>(parameters))));
    meta.setOwnerReferences(
        List.of(
            new OwnerReferenceBuilder()
                .withApiVersion(Kiln.API_VERSION)
                .withKind(TuningJob.KIND)
                .withName(sweep.getMetadata().getName())
                .withUid(sweep.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build()));
    job.setMetadata(meta);
    job.setSpec(spec);
    return job;
  }
}
