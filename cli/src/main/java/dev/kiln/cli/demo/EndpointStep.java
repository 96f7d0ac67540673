package dev.kiln.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.api.InferenceEndpoint;
import dev.kiln.api.spec.InferenceEndpointSpec;
import dev.kiln.cli.KilnException;
import dev.kiln.cli.endpoint.EndpointBackend;
import dev.kiln.cli.endpoint.EndpointHttp;
import dev.kiln.cli.endpoint.EndpointWait;
import dev.kiln.cli.local.LocalClient;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Deploys the better of the first training's model and the sweep's best trial's model as an
 * InferenceEndpoint, sends it the held-out fifth over HTTP and reports its accuracy: the demo's
 * last accuracy line is what the endpoint answered.
 */
final class EndpointStep implements DemoStep {
  static final String ENDPOINT = "digits";
  private static final int BATCH = 128;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String title() {
    return "deploy the best model as an endpoint and predict the held-out digits over HTTP";
  }

  @Override
  public void run(DemoContext demo) throws Exception {
    String uri = demo.modelUri;
    String from = "the first training";
    if (demo.bestTrialModelUri != null
        && demo.bestTrialAccuracy != null
        && (demo.accuracy == null || demo.bestTrialAccuracy > demo.accuracy)) {
      uri = demo.bestTrialModelUri;
      from = "the sweep's best trial" + (demo.bestTrialJob == null ? "" : " " + demo.bestTrialJob);
    }
    demo.out.println("    deploying " + uri + " (" + from + ") as endpoint " + ENDPOINT);
    String url;
    try (EndpointBackend backend = EndpointBackend.local(new LocalClient(demo.local.config()))) {
      backend.apply(endpoint(uri));
      InferenceEndpoint ready =
          EndpointWait.ready(backend, "default", ENDPOINT, uri, Duration.ofMinutes(3));
      url = ready.getStatus().url;
    }
    demo.out.println(
        "    endpoint ready: " + url + " (POST /invocations, /v2/models/digits/infer)");
    predict(demo, url);
  }

  private static InferenceEndpoint endpoint(String uri) {
    InferenceEndpoint e = new InferenceEndpoint();
    ObjectMeta meta = new ObjectMeta();
    meta.setName(ENDPOINT);
    meta.setNamespace("default");
    e.setMetadata(meta);
    InferenceEndpointSpec spec = new InferenceEndpointSpec();
    spec.model = InferenceEndpointSpec.ModelSource.ofUri(uri);
    spec.replicas = new InferenceEndpointSpec.Replicas();
    spec.replicas.min = 1;
    spec.replicas.max = 2;
    e.setSpec(spec);
    return e;
  }

  /** Sends the held-out rows (features as CSV, in the training's column order) in batches. */
  private static void predict(DemoContext demo, String url) throws IOException {
    List<String> lines = Files.readAllLines(demo.split.heldOut());
    List<String> header = Arrays.asList(lines.get(0).split(","));
    int label = header.indexOf("label");
    if (label < 0) {
      throw KilnException.failed("the held-out CSV has no 'label' column", null);
    }
    List<String> truth = new ArrayList<>();
    List<String> predicted = new ArrayList<>();
    for (int start = 1; start < lines.size(); start += BATCH) {
      StringBuilder csv = new StringBuilder();
      for (String line : lines.subList(start, Math.min(lines.size(), start + BATCH))) {
        if (line.isBlank()) {
          continue;
        }
        List<String> cells = new ArrayList<>(Arrays.asList(line.split(",", -1)));
        truth.add(cells.remove(label));
        csv.append(String.join(",", cells)).append('\n');
      }
      EndpointHttp.Answer answer = EndpointHttp.invoke(url, "text/csv", csv.toString());
      if (answer.code() != 200) {
        throw KilnException.failed(
            "the endpoint answered " + answer.code() + ": " + answer.body(), null);
      }
      for (JsonNode p : JSON.readTree(answer.body()).path("predictions")) {
        predicted.add(p.path("label").asText());
      }
    }
    int correct = 0;
    for (int i = 0; i < truth.size(); i++) {
      if (i < predicted.size() && sameLabel(predicted.get(i), truth.get(i))) {
        correct++;
      }
    }
    StringBuilder few = new StringBuilder("    predicted / true:");
    for (int i = 0; i < Math.min(10, truth.size()); i++) {
      few.append(' ').append(predicted.get(i)).append('/').append(truth.get(i));
    }
    demo.out.println(few);
    double accuracy = truth.isEmpty() ? 0 : (double) correct / truth.size();
    demo.out.println(
        "    the endpoint answered "
            + predicted.size()
            + " held-out digits over HTTP in "
            + ((truth.size() + BATCH - 1) / BATCH)
            + " requests");
    demo.out.println(
        String.format(
            Locale.ROOT,
            "held-out accuracy: %.4f (%d/%d, from the endpoint)",
            accuracy,
            correct,
            truth.size()));
  }

  private static boolean sameLabel(String a, String b) {
    if (a.equals(b)) {
      return true;
    }
    try {
      return Double.parseDouble(a) == Double.parseDouble(b);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
