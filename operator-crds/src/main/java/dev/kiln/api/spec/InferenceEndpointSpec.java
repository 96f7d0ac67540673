package dev.kiln.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** An autoscaled HTTP endpoint serving a model, with an optional canary. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InferenceEndpointSpec {
  @Required public ModelSource model;

  public Replicas replicas;

  public Autoscaling autoscaling;

  public Batching batching;

  public Canary canary;

  public Resources resources;

  /** Where a model comes from: a finished TrainingJob or a URI. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "has(self.trainingJob) != has(self.uri)",
      message = "set exactly one of model.trainingJob or model.uri")
  public static class ModelSource {
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    public String trainingJob;

    @Pattern("^(s3://|file:/).+")
    public String uri;

    public ModelSource() {}

    public static ModelSource ofJob(String job) {
      ModelSource source = new ModelSource();
      source.trainingJob = job;
      return source;
    }

    public static ModelSource ofUri(String uri) {
      ModelSource source = new ModelSource();
      source.uri = uri;
      return source;
    }
  }

  /** Replica bounds for the autoscaler. */
  @ValidationRule(value = "self.min <= self.max", message = "replicas.min must not exceed max")
  public static class Replicas {
    @Min(0)
    @Max(1000)
    public Integer min = 1;

    @Min(1)
    @Max(1000)
    public Integer max = 1;
  }

  /** Scale on in-flight requests per replica. */
  public static class Autoscaling {
    @Min(1)
    public Integer targetInFlight = 8;

    @Min(0)
    public Integer scaleDownDelaySeconds = 60;
  }

  /** Dynamic batching of concurrent requests. */
  public static class Batching {
    @Min(1)
    @Max(4096)
    public Integer maxBatchSize = 32;

    @Min(0)
    @Max(10000000)
    public Integer maxDelayMicros = 2000;
  }

  /** A second model version receiving a share of traffic, rolled back if it does worse. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Canary {
    @Required public ModelSource model;

    @Min(0)
    @Max(100)
    public Integer trafficPercent = 10;

    @Min(0)
    public Integer bakeSeconds = 300;

    @Min(0)
    @Max(1)
    public Double maxErrorRateIncrease = 0.01;

    @Min(1)
    public Double maxP99Ratio = 1.5;
  }
}
