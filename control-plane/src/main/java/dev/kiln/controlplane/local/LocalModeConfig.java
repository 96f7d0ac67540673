package dev.kiln.controlplane.local;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * What {@code kiln.mode=local} ({@code KILN_MODE=local}) changes in the configuration, so that the
 * jar needs nothing else to run local mode: HTTP + gRPC on 127.0.0.1:7070, quicker restarts, and
 * {@code kiln.token-key} from the home's {@link LocalSecrets}, so that the tokens of ranks outlive
 * a restart of the control plane. Anything set explicitly (environment, system properties) wins; in
 * cluster mode it supplies nothing.
 */
public final class LocalModeConfig implements ConfigSourceFactory {
  /** Below the environment (300) and system properties (400), above application.properties. */
  static final int ORDINAL = 260;

  @Override
  public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
    if (!"local".equals(value(context, "kiln.mode"))) {
      return List.of();
    }
    LocalSecrets secrets = LocalSecrets.loadOrCreate(home(value(context, "kiln.local.home")));
    Map<String, String> local = new LinkedHashMap<>();
    local.put("kiln.token-key", secrets.tokenKey());
    local.put("quarkus.http.host", "127.0.0.1");
    local.put("quarkus.http.port", "7070");
    local.put("kiln.startup-check.enabled", "false");
    local.put("kiln.training.restart-backoff", "2s");
    local.put("kiln.training.poll", "1s");
    local.put("quarkus.log.category.\"org.gaul.s3proxy\".level", "WARN");
    return List.of(new PropertiesConfigSource(local, "kiln-local-mode", ORDINAL));
  }

  @Override
  public OptionalInt getPriority() {
    return OptionalInt.of(ORDINAL);
  }

  /** The local-mode home: {@code kiln.local.home}, else {@code ~/.kiln}. */
  static Path home(String configured) {
    return configured == null || configured.isBlank()
        ? Path.of(System.getProperty("user.home"), ".kiln")
        : Path.of(configured).toAbsolutePath().normalize();
  }

  private static String value(ConfigSourceContext context, String name) {
    ConfigValue v = context.getValue(name);
    return v == null ? null : v.getValue();
  }
}
