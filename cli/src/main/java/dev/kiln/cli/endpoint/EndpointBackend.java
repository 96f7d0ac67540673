package dev.kiln.cli.endpoint;

import dev.kiln.api.InferenceEndpoint;
import dev.kiln.cli.Kiln;
import dev.kiln.cli.local.LocalClient;
import java.util.List;
import java.util.Optional;

/**
 * Where {@code kiln endpoint} finds InferenceEndpoints: local mode, or a cluster with --context.
 */
public interface EndpointBackend extends AutoCloseable {

  /** One event of an endpoint. */
  record Event(String time, String type, String reason, String message) {}

  String where();

  /** Creates the endpoint or replaces its spec; returns it as stored. */
  InferenceEndpoint apply(InferenceEndpoint endpoint);

  Optional<InferenceEndpoint> get(String namespace, String name);

  List<InferenceEndpoint> list(String namespace);

  boolean delete(String namespace, String name);

  List<Event> events(InferenceEndpoint endpoint);

  @Override
  void close();

  /** Local mode through this client (closed with the backend). */
  static EndpointBackend local(LocalClient client) {
    return new LocalEndpoints(client);
  }

  /** A cluster with {@code --context} (or KILN_CONTEXT), else local mode. */
  static EndpointBackend open(Kiln kiln) {
    Optional<String> context = kiln.context();
    if (context.isPresent()) {
      return new ClusterEndpoints(context.get());
    }
    return new LocalEndpoints(new LocalClient(kiln.localConfig()));
  }
}
