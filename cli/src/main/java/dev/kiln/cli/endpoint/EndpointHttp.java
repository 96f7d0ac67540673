package dev.kiln.cli.endpoint;

import dev.kiln.cli.KilnException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Posts rows to an endpoint's {@code /invocations}. */
public final class EndpointHttp {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private EndpointHttp() {}

  /** The status code and body of an answer. */
  public record Answer(int code, String body) {}

  /** POSTs {@code body} ({@code contentType}) to {@code <url>/invocations}. */
  public static Answer invoke(String url, String contentType, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url + "/invocations"))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (IOException e) {
      throw KilnException.failed(
          "cannot reach " + url + ": " + e.getMessage(),
          "is the endpoint's router reachable from here? (--router URL)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KilnException.failed("interrupted", null);
    }
  }
}
