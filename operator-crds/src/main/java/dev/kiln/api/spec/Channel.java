package dev.kiln.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A data channel: an S3 object or prefix holding CSV or NumPy data. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Channel {
  @Required
  @Pattern("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$")
  public String uri;

  public Format format = Format.CSV;

  /** The label column of a CSV channel; the last column when unset. */
  public String label;

  public Channel() {}

  public Channel(String uri, Format format, String label) {
    this.uri = uri;
    this.format = format;
    this.label = label;
  }

  /** Channel file formats. */
  public enum Format {
    @JsonProperty("csv")
    CSV,
    @JsonProperty("npy")
    NPY
  }
}
