package dev.kiln.controlplane.endpoint.kubernetes;

import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * What the cluster shell of endpoints needs from configuration ({@code kiln.endpoint.*}, or the
 * environment: {@code KILN_ENDPOINT_IMAGE}, {@code KILN_ENDPOINT_ROUTER_URL}, {@code
 * KILN_ENDPOINT_ROUTER_TOKEN}).
 *
 * @param image the endpoint-server image replicas run
 * @param routerUrl the router's base URL as the control plane (and clients in the cluster) reach it
 * @param routerToken the router's admin token, if it has one
 * @param s3Endpoint S3 as replicas reach it
 */
public record ClusterEndpointSettings(
    String image,
    String imagePullPolicy,
    String routerUrl,
    String routerToken,
    String s3Endpoint,
    Optional<String> s3AccessKey,
    Optional<String> s3SecretKey) {

  static ClusterEndpointSettings from(Config config) {
    return new ClusterEndpointSettings(
        config
            .getOptionalValue("kiln.endpoint.image", String.class)
            .orElse("ghcr.io/kiln-dev/kiln-endpoint-server:0.1.0"),
        config
            .getOptionalValue("kiln.worker.image-pull-policy", String.class)
            .orElse("IfNotPresent"),
        config
            .getOptionalValue("kiln.endpoint.router-url", String.class)
            .orElse("http://kiln-router.kiln.svc:8080"),
        config.getOptionalValue("kiln.endpoint.router-token", String.class).orElse(null),
        config
            .getOptionalValue("kiln.s3.endpoint", String.class)
            .orElse("http://minio.kiln-system.svc:9000"),
        config.getOptionalValue("kiln.s3.access-key", String.class),
        config.getOptionalValue("kiln.s3.secret-key", String.class));
  }
}
