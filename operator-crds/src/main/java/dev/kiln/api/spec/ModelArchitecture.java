package dev.kiln.api.spec;

import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** The layers of the built-in sequential model; the input width comes from the data. */
public class ModelArchitecture {
  @Required
  @Size(min = 1, max = 64)
  public List<Layer> layers = new ArrayList<>();
}
