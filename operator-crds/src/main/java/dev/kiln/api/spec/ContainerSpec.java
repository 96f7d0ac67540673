package dev.kiln.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/** A user's own training container; ranks get the rank contract's environment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerSpec {
  @Required
  @Size(min = 1)
  public String image;

  public List<String> command;

  public List<String> args;

  public Map<String, String> env;

  public Framework framework = Framework.GENERIC;

  /** Frameworks whose own distributed environment Kiln sets. */
  public enum Framework {
    @JsonProperty("pytorch")
    PYTORCH,
    @JsonProperty("tensorflow")
    TENSORFLOW,
    @JsonProperty("jax")
    JAX,
    @JsonProperty("generic")
    GENERIC
  }
}
