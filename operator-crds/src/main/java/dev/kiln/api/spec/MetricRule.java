package dev.kiln.api.spec;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A metric read from rank 0's log by a regular expression with one capture group. */
public class MetricRule {
  @Required
  @Pattern("^[A-Za-z_][A-Za-z0-9_]*$")
  public String name;

  @Required
  @Size(min = 1, max = 1024)
  public String regex;

  public MetricRule() {}

  public MetricRule(String name, String regex) {
    this.name = name;
    this.regex = regex;
  }
}
