package dev.kiln.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.endpoint.testing.ServerProcess;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged server as its users start it: a process configured by KILN_* variables. */
class PackagedServerIT {

  private static final Path MODELS = Path.of("src/test/resources/onnx");

  @TempDir Path tmp;

  @Test
  void servesAPytorchOnnxModelLikePytorchAndStopsOnSigterm() throws Exception {
    JsonNode expected =
        new ObjectMapper().readTree(MODELS.resolve("torch_mlp_64_10.expected.json").toFile());
    try (ServerProcess server =
        ServerProcess.start(
            Map.of(
                "KILN_MODEL_URI",
                    MODELS.resolve("torch_mlp_64_10.onnx").toAbsolutePath().toUri().toString(),
                "KILN_MODEL_NAME", "digits",
                "KILN_BATCHING", "off"),
            tmp)) {
      server.awaitReady();
      String body =
          "{\"inputs\":[{\"name\":\"input\",\"shape\":[3,64],\"datatype\":\"FP32\",\"data\":"
              + expected.get("input")
              + "}]}";
      HttpResponse<String> r = server.post("/v2/models/digits/infer", "application/json", body);
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode out = new ObjectMapper().readTree(r.body()).get("outputs").get(0);
      assertThat(out.get("shape").toString()).isEqualTo("[3,10]");
      for (int i = 0; i < 30; i++) {
        assertThat(out.get("data").get(i).asDouble())
            .isCloseTo(expected.get("output").get(i).asDouble(), within(1e-5));
      }
      assertThat(server.get("/v2/models/digits").body()).contains("\"platform\":\"onnxruntime\"");
      int code = server.stop();
      assertThat(code).as("SIGTERM ends it like any JVM: 143").isIn(0, 143);
      assertThat(server.log()).contains("serving model 'digits'").contains("stopped in");
    }
  }

  @Test
  void finishesARequestInFlightAtSigtermAndRefusesNewOnes() throws Exception {
    try (ServerProcess server =
        ServerProcess.start(
            Map.of(
                "KILN_MODEL_URI",
                MODELS.resolve("torch_mlp_64_10.onnx").toAbsolutePath().toUri().toString()),
            tmp)) {
      server.awaitReady();
      byte[] body =
          ("0.5," + "0.25,".repeat(62) + "1\n").repeat(100).getBytes(StandardCharsets.US_ASCII);
      try (Socket socket = new Socket("127.0.0.1", URI.create(server.base()).getPort())) {
        OutputStream out = socket.getOutputStream();
        out.write(
            ("POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: "
                    + body.length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body, 0, body.length / 2);
        out.flush();
        // Half the body is in: the request is in flight, and stays so until the rest arrives.
        await()
            .atMost(30, TimeUnit.SECONDS)
            .until(
                () ->
                    server.get("/metrics").body().contains("kiln_endpoint_in_flight_requests 1.0"));
        server.process().destroy();
        await()
            .atMost(30, TimeUnit.SECONDS)
            .until(() -> server.log().contains("Shutdown") || statusOrZero(server, "/ping") == 503);
        assertThat(statusOrZero(server, "/ping")).as("new requests during shutdown").isIn(0, 503);
        out.write(body, body.length / 2, body.length - body.length / 2);
        out.flush();
        String response =
            new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
        assertThat(response).isEqualTo("HTTP/1.1 200");
      }
      assertThat(server.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(server.log()).contains("stopped in");
    }
  }

  private static int statusOrZero(ServerProcess server, String path) {
    try {
      return server.get(path).statusCode();
    } catch (Exception e) {
      return 0;
    }
  }

  @Test
  void exitsWithCode1AndTheReasonWhenTheModelCannotBeLoaded() throws Exception {
    try (ServerProcess server =
        ServerProcess.start(Map.of("KILN_MODEL_URI", "/nonexistent/model/"), tmp)) {
      assertThat(server.process().waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(server.process().exitValue()).isEqualTo(1);
      assertThat(server.log()).contains("model not found: /nonexistent/model");
    }
  }
}
