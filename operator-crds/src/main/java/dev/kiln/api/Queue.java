package dev.kiln.api;

import dev.kiln.api.spec.QueueSpec;
import dev.kiln.api.status.QueueStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** A cluster-scoped queue with a quota and a fair-share weight. */
@Group(Kiln.GROUP)
@Version(Kiln.VERSION)
@Categories("kiln")
@AdditionalPrinterColumn(
    name = "GPU Quota",
    jsonPath = ".spec.quota.gpu",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "GPU Used",
    jsonPath = ".status.used.gpu",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Admitted",
    jsonPath = ".status.admitted",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Pending",
    jsonPath = ".status.pending",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Queue extends CustomResource<QueueSpec, QueueStatus> {
  public static final String KIND = "Queue";

  @Override
  protected QueueStatus initStatus() {
    return new QueueStatus();
  }
}
