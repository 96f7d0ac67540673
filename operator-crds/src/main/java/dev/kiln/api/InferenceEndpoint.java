package dev.kiln.api;

import dev.kiln.api.spec.InferenceEndpointSpec;
import dev.kiln.api.status.InferenceEndpointStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An autoscaled HTTP endpoint serving a trained model. */
@Group(Kiln.GROUP)
@Version(Kiln.VERSION)
@ShortNames("ie")
@Categories("kiln")
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.replicas.ready",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Desired",
    jsonPath = ".status.replicas.desired",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "URL",
    jsonPath = ".status.url",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class InferenceEndpoint
    extends CustomResource<InferenceEndpointSpec, InferenceEndpointStatus> implements Namespaced {
  public static final String KIND = "InferenceEndpoint";

  @Override
  protected InferenceEndpointStatus initStatus() {
    return new InferenceEndpointStatus();
  }
}
