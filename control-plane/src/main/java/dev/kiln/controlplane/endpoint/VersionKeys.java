package dev.kiln.controlplane.endpoint;

import dev.kiln.api.spec.InferenceEndpointSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A model version's name: a short hash of what its replicas run (the model URI and the batching
 * settings), so a change of either is a new version rolled out beside the old one.
 */
public final class VersionKeys {
  private VersionKeys() {}

  public static String of(String modelUri, InferenceEndpointSpec.Batching batching) {
    InferenceEndpointSpec.Batching b =
        batching == null ? new InferenceEndpointSpec.Batching() : batching;
    String text = modelUri + "|" + b.maxBatchSize + "|" + b.maxDelayMicros;
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return "v" + HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
