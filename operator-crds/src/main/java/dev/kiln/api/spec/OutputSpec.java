package dev.kiln.api.spec;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Where a job writes its model and checkpoints. */
public class OutputSpec {
  @Required
  @Pattern("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$")
  public String uri;

  public OutputSpec() {}

  public OutputSpec(String uri) {
    this.uri = uri;
  }
}
