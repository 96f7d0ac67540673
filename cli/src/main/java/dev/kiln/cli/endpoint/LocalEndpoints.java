package dev.kiln.cli.endpoint;

import dev.kiln.api.InferenceEndpoint;
import dev.kiln.cli.local.LocalClient;
import java.util.List;
import java.util.Optional;

/** InferenceEndpoints in local mode, through the local control plane's {@code LocalApi}. */
final class LocalEndpoints implements EndpointBackend {
  private final LocalClient client;

  LocalEndpoints(LocalClient client) {
    this.client = client;
  }

  @Override
  public String where() {
    return "local mode (" + client.config().address() + ")";
  }

  @Override
  public InferenceEndpoint apply(InferenceEndpoint endpoint) {
    return client.apply(endpoint, InferenceEndpoint.class);
  }

  @Override
  public Optional<InferenceEndpoint> get(String namespace, String name) {
    return client.get(InferenceEndpoint.class, namespace, name);
  }

  @Override
  public List<InferenceEndpoint> list(String namespace) {
    return client.list(InferenceEndpoint.class, namespace);
  }

  @Override
  public boolean delete(String namespace, String name) {
    return client.delete(InferenceEndpoint.class, namespace, name);
  }

  @Override
  public List<Event> events(InferenceEndpoint endpoint) {
    return client
        .events(
            InferenceEndpoint.class,
            endpoint.getMetadata().getNamespace(),
            endpoint.getMetadata().getName())
        .getEventsList()
        .stream()
        .map(e -> new Event(e.getTime(), e.getType(), e.getReason(), e.getMessage()))
        .toList();
  }

  @Override
  public void close() {
    client.close();
  }
}
