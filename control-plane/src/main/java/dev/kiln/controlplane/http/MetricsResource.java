package dev.kiln.controlplane.http;

import io.prometheus.client.exporter.common.TextFormat;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.io.IOException;
import java.io.StringWriter;

/** Prometheus text at {@code /metrics}, like every Kiln component. */
@Path("/metrics")
public class MetricsResource {

  @GET
  @Produces(TextFormat.CONTENT_TYPE_004)
  public String metrics() throws IOException {
    StringWriter out = new StringWriter();
    TextFormat.write004(out, ControlPlaneMetrics.REGISTRY.metricFamilySamples());
    return out.toString();
  }
}
