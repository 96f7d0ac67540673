package dev.kiln.endpoint;

import dev.kiln.endpoint.http.InferenceRoutes;
import dev.kiln.endpoint.http.ServerMetrics;
import dev.kiln.endpoint.runner.ModelLoader;
import dev.kiln.endpoint.runner.ModelRunner;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The Quarkus shell of the endpoint server: reads {@link EndpointSettings}, loads the model on a
 * thread of its own (readiness says 503 until it is in), installs the routes on Quarkus's HTTP
 * server ({@code KILN_HTTP_PORT}, default 8080) and finishes in-flight requests on shutdown. A
 * model that cannot be loaded stops the process with exit code 1.
 */
@ApplicationScoped
public class EndpointApp {

  private static final Logger LOG = Logger.getLogger(EndpointApp.class);

  private final EndpointSettings settings = EndpointSettings.from(ConfigProvider.getConfig());
  private final ServerMetrics metrics = new ServerMetrics();
  private final InferenceRoutes routes = new InferenceRoutes(metrics, settings.maxBodyBytes());
  private ModelBootstrap.Loading loading;

  void installRoutes(@Observes Router router) {
    routes.install(router);
  }

  void start(@Observes StartupEvent event) {
    // Usually already under way: EndpointMain starts it before Quarkus boots.
    loading = ModelBootstrap.start(settings);
    ModelBootstrap.Loading started = loading;
    started.runner().whenComplete((runner, error) -> loaded(started, runner, error));
  }

  private void loaded(ModelBootstrap.Loading loading, ModelRunner runner, Throwable error) {
    if (error != null) {
      LOG.errorf(error, "cannot load model %s: %s", settings.modelUri(), error.getMessage());
      routes.failed(error.getMessage());
      Quarkus.asyncExit(1);
      return;
    }
    String name = settings.modelName().orElse(ModelLoader.nameFor(settings.modelUri()));
    routes.serve(name, runner, settings.batching());
    LOG.infof(
        "serving model '%s' (%s, input '%s' %s, output '%s') from %s, loaded in %d ms; %s",
        name,
        runner.signature().platform(),
        runner.signature().inputName(),
        runner.signature().describeInputShape(),
        runner.signature().outputName(),
        settings.modelUri(),
        (System.nanoTime() - loading.startNanos()) / 1_000_000,
        settings.batching());
  }

  void stop(@Observes ShutdownEvent event) {
    if (loading != null) {
      ModelBootstrap.forget(loading);
    }
    try {
      if (!routes.shutdown(settings.shutdownTimeout())) {
        LOG.warnf("requests still in flight after %s; stopping anyway", settings.shutdownTimeout());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
