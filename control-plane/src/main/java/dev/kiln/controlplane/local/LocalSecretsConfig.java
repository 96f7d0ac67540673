package dev.kiln.controlplane.local;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * In local mode, supplies {@code kiln.token-key} from the home's {@link LocalSecrets}, so that the
 * tokens of ranks outlive a restart of the control plane; an explicit {@code KILN_TOKEN_KEY} still
 * wins. In cluster mode it supplies nothing.
 */
public final class LocalSecretsConfig implements ConfigSourceFactory {
  /** Below the environment (300) and system properties (400), above application.properties. */
  static final int ORDINAL = 260;

  @Override
  public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
    if (!"local".equals(value(context, "kiln.mode"))) {
      return List.of();
    }
    LocalSecrets secrets = LocalSecrets.loadOrCreate(home(value(context, "kiln.local.home")));
    return List.of(
        new PropertiesConfigSource(
            Map.of("kiln.token-key", secrets.tokenKey()), "kiln-local-secrets", ORDINAL));
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
