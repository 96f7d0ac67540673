package dev.kiln.api;

import dev.kiln.api.spec.TuningJobSpec;
import dev.kiln.api.status.TuningJobStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A hyperparameter sweep over TrainingJob trials. */
@Group(Kiln.GROUP)
@Version(Kiln.VERSION)
@ShortNames("tune")
@Categories("kiln")
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Trials",
    jsonPath = ".status.progress",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Best",
    jsonPath = ".status.bestTrial.objective",
    type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
    name = "Best Trial",
    jsonPath = ".status.bestTrial.name",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class TuningJob extends CustomResource<TuningJobSpec, TuningJobStatus>
    implements Namespaced {
  public static final String KIND = "TuningJob";

  @Override
  protected TuningJobStatus initStatus() {
    return new TuningJobStatus();
  }
}
