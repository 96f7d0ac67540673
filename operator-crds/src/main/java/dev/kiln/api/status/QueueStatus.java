package dev.kiln.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What a queue's admitted jobs hold, and how many wait. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class QueueStatus {
  public Usage used;
  public Integer admitted;
  public Integer pending;

  /** Resources held by admitted jobs. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Usage {
    public Integer gpu;
    public String cpu;
    public String memory;
  }
}
