package dev.kiln.endpoint.runner;

import java.util.Optional;

/**
 * Where {@code s3://} model URIs are read from: {@code KILN_S3_ENDPOINT} ({@code http://host:port})
 * with {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY}; region {@code AWS_REGION}.
 */
public record S3Settings(
    Optional<String> endpoint, String accessKey, String secretKey, String region) {

  /** Reads the rank contract's variables from the environment. */
  public static S3Settings fromEnvironment() {
    return new S3Settings(
        Optional.ofNullable(System.getenv("KILN_S3_ENDPOINT")).filter(s -> !s.isBlank()),
        System.getenv().getOrDefault("AWS_ACCESS_KEY_ID", ""),
        System.getenv().getOrDefault("AWS_SECRET_ACCESS_KEY", ""),
        System.getenv().getOrDefault("AWS_REGION", "us-east-1"));
  }
}
