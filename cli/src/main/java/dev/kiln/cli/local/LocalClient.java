package dev.kiln.cli.local;

import dev.kiln.api.Manifests;
import dev.kiln.api.TrainingJob;
import dev.kiln.cli.KilnException;
import dev.kiln.cli.LocalConfig;
import dev.kiln.grpc.ApplyRequest;
import dev.kiln.grpc.EventList;
import dev.kiln.grpc.ListRequest;
import dev.kiln.grpc.LocalApiGrpc;
import dev.kiln.grpc.LogChunk;
import dev.kiln.grpc.LogsRequest;
import dev.kiln.grpc.ResourceRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The CLI's connection to the local control plane's {@code LocalApi}: plaintext gRPC to the address
 * in {@code local.json}, every call with its bearer token; failures become {@link KilnException}s
 * that say what to do.
 */
public final class LocalClient implements AutoCloseable {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final LocalConfig config;
  private final ManagedChannel channel;
  private final LocalApiGrpc.LocalApiBlockingStub stub;

  public LocalClient(LocalConfig config) {
    this.config = config;
    this.channel = ManagedChannelBuilder.forTarget(config.address()).usePlaintext().build();
    this.stub = LocalApiGrpc.newBlockingStub(channel).withInterceptors(bearer(config.token()));
  }

  public LocalConfig config() {
    return config;
  }

  /** Creates or updates a resource; returns it as stored. */
  public <T extends HasMetadata> T apply(T resource, Class<T> type) {
    String json =
        call(
            () ->
                stub.apply(
                        ApplyRequest.newBuilder()
                            .setManifestJson(Manifests.toJson(resource))
                            .build())
                    .getJson());
    return Manifests.fromJson(json, type);
  }

  public <T extends HasMetadata> Optional<T> get(Class<T> type, String namespace, String name) {
    try {
      return Optional.of(Manifests.fromJson(stub.get(ref(type, namespace, name)).getJson(), type));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw translate(e);
    }
  }

  /** Resources of a kind in a namespace, or in every namespace when it is null. */
  public <T extends HasMetadata> List<T> list(Class<T> type, String namespace) {
    List<String> items =
        call(
            () ->
                stub.list(
                        ListRequest.newBuilder()
                            .setKind(kind(type))
                            .setNamespace(namespace == null ? "" : namespace)
                            .build())
                    .getJsonList());
    List<T> out = new ArrayList<>();
    items.forEach(json -> out.add(Manifests.fromJson(json, type)));
    return out;
  }

  public boolean delete(Class<? extends HasMetadata> type, String namespace, String name) {
    return call(() -> stub.delete(ref(type, namespace, name)).getDeleted());
  }

  public EventList events(String namespace, String name) {
    return call(() -> stub.events(ref(TrainingJob.class, namespace, name)));
  }

  /** The newest events of a resource of any Kiln kind. */
  public EventList events(Class<? extends HasMetadata> type, String namespace, String name) {
    return call(() -> stub.events(ref(type, namespace, name)));
  }

  /** Copies a rank's log to {@code out}; with {@code follow}, until the rank has ended. */
  public void logs(
      String namespace, String job, int rank, int attempt, boolean follow, OutputStream out) {
    call(
        () -> {
          Iterator<LogChunk> chunks =
              stub.logs(
                  LogsRequest.newBuilder()
                      .setNamespace(namespace)
                      .setJob(job)
                      .setRank(rank)
                      .setAttempt(attempt)
                      .setFollow(follow)
                      .build());
          try {
            while (chunks.hasNext()) {
              chunks.next().getData().writeTo(out);
              out.flush();
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return null;
        });
  }

  /** Whether the control plane answers with this token. */
  public boolean answers() {
    try {
      stub.withDeadlineAfter(2, TimeUnit.SECONDS)
          .list(ListRequest.newBuilder().setKind(TrainingJob.KIND).build());
      return true;
    } catch (StatusRuntimeException e) {
      return false;
    }
  }

  private <R> R call(Supplier<R> rpc) {
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      throw translate(e);
    }
  }

  private KilnException translate(StatusRuntimeException e) {
    String what = e.getStatus().getDescription();
    switch (e.getStatus().getCode()) {
      case UNAVAILABLE:
        return KilnException.noLocalControlPlane("nothing answers at " + config.address());
      case UNAUTHENTICATED:
        return KilnException.failed(
            "the local control plane refused the token in local.json",
            "restart local mode with: kiln local down && kiln local up");
      case INVALID_ARGUMENT:
        return KilnException.usage(what, "fix the manifest and try again");
      case NOT_FOUND:
        return KilnException.failed(what, null);
      default:
        return KilnException.failed(
            "the local control plane answered " + e.getStatus().getCode() + ": " + what, null);
    }
  }

  private static ResourceRef ref(Class<? extends HasMetadata> type, String ns, String name) {
    return ResourceRef.newBuilder()
        .setKind(kind(type))
        .setNamespace(ns == null ? "" : ns)
        .setName(name)
        .build();
  }

  private static String kind(Class<? extends HasMetadata> type) {
    return Manifests.kinds().entrySet().stream()
        .filter(e -> e.getValue().equals(type))
        .map(java.util.Map.Entry::getKey)
        .findFirst()
        .orElseThrow();
  }

  private static ClientInterceptor bearer(String token) {
    return new ClientInterceptor() {
      @Override
      public <Q, A> ClientCall<Q, A> interceptCall(
          MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(
            next.newCall(method, options)) {
          @Override
          public void start(Listener<A> listener, Metadata headers) {
            headers.put(AUTHORIZATION, "Bearer " + token);
            super.start(listener, headers);
          }
        };
      }
    };
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
