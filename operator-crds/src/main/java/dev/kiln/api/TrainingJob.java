package dev.kiln.api;

import dev.kiln.api.spec.TrainingJobSpec;
import dev.kiln.api.status.TrainingJobStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A data-parallel training job: a gang of ranks, restarted from checkpoints on failure. */
@Group(Kiln.GROUP)
@Version(Kiln.VERSION)
@ShortNames("tj")
@Categories("kiln")
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ranks",
    jsonPath = ".status.ranks",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Restarts",
    jsonPath = ".status.restarts",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Metric",
    jsonPath = ".status.latestMetric",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class TrainingJob extends CustomResource<TrainingJobSpec, TrainingJobStatus>
    implements Namespaced {
  public static final String KIND = "TrainingJob";

  @Override
  protected TrainingJobStatus initStatus() {
    return new TrainingJobStatus();
  }
}
