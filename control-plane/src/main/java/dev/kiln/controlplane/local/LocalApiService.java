package dev.kiln.controlplane.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kiln.api.Manifests;
import dev.kiln.api.TrainingJob;
import dev.kiln.controlplane.grpc.BearerToken;
import dev.kiln.grpc.ApplyRequest;
import dev.kiln.grpc.DeleteReply;
import dev.kiln.grpc.Event;
import dev.kiln.grpc.EventList;
import dev.kiln.grpc.ListReply;
import dev.kiln.grpc.ListRequest;
import dev.kiln.grpc.LocalApiGrpc;
import dev.kiln.grpc.LogChunk;
import dev.kiln.grpc.LogsRequest;
import dev.kiln.grpc.ResourceRef;
import dev.kiln.grpc.ResourceReply;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.smallrye.common.annotation.Blocking;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code LocalApi}: the CLI's view of local mode, the way kubectl sees the API server: apply, get,
 * list, delete and watch resources (specs travel as the CRD's JSON), a rank's log, a job's events.
 * Every call needs {@code authorization: Bearer <token>} from {@code local.json}.
 */
@GrpcService
@RegisterInterceptor(BearerToken.class)
public class LocalApiService extends LocalApiGrpc.LocalApiImplBase {
  private final LocalMode mode;
  private final RankLogStreams logs;

  public LocalApiService(LocalMode mode, RankLogStreams logs) {
    this.mode = mode;
    this.logs = logs;
  }

  @Override
  @Blocking
  public void apply(ApplyRequest request, StreamObserver<ResourceReply> response) {
    call(
        response,
        r -> {
          HasMetadata resource;
          try {
            resource = Manifests.fromTree(Manifests.json().readTree(request.getManifestJson()));
          } catch (JsonProcessingException e) {
            throw invalid("the manifest is not JSON: " + e.getOriginalMessage());
          }
          return reply(r.store().apply(resource));
        });
  }

  @Override
  @Blocking
  public void get(ResourceRef ref, StreamObserver<ResourceReply> response) {
    call(response, r -> reply(find(r, ref)));
  }

  @Override
  @Blocking
  public void list(ListRequest request, StreamObserver<ListReply> response) {
    call(
        response,
        r -> {
          String ns = request.getNamespace().isEmpty() ? null : request.getNamespace();
          ListReply.Builder out = ListReply.newBuilder();
          r.store()
              .list(kind(request.getKind()), ns)
              .forEach(x -> out.addJson(Manifests.toJson(x)));
          return out.build();
        });
  }

  @Override
  @Blocking
  public void delete(ResourceRef ref, StreamObserver<DeleteReply> response) {
    call(
        response,
        r ->
            DeleteReply.newBuilder()
                .setDeleted(r.store().delete(kind(ref.getKind()), namespace(ref), ref.getName()))
                .build());
  }

  @Override
  @Blocking
  public void events(ResourceRef ref, StreamObserver<EventList> response) {
    call(
        response,
        r -> {
          HasMetadata resource = find(r, ref);
          EventList.Builder out = EventList.newBuilder();
          for (JobEvents.Event e : r.events().newest(resource.getMetadata().getUid(), 100)) {
            out.addEvents(
                Event.newBuilder()
                    .setTime(e.time())
                    .setType(e.type())
                    .setReason(e.reason())
                    .setMessage(e.message()));
          }
          return out.build();
        });
  }

  /** The resource now, then each time it changes; ends when it is deleted or the caller leaves. */
  @Override
  @Blocking
  public void watch(ResourceRef ref, StreamObserver<ResourceReply> response) {
    LocalMode.Running r = authorize(response);
    if (r == null) {
      return;
    }
    ServerCallStreamObserver<ResourceReply> out =
        (ServerCallStreamObserver<ResourceReply>) response;
    Class<? extends HasMetadata> type;
    try {
      type = kind(ref.getKind());
    } catch (StatusRuntimeException e) {
      response.onError(e);
      return;
    }
    String ns = Namespaced.class.isAssignableFrom(type) ? namespace(ref) : null;
    Consumer<LocalStore.StoreEvent> listener =
        e -> {
          HasMetadata x = e.resource();
          if (!type.isInstance(x)
              || !Objects.equals(ns, x.getMetadata().getNamespace())
              || !ref.getName().equals(x.getMetadata().getName())) {
            return;
          }
          synchronized (out) {
            if (out.isCancelled()) {
              return;
            }
            out.onNext(reply(x));
            if ("DELETED".equals(e.type())) {
              out.onCompleted();
            }
          }
        };
    out.setOnCancelHandler(() -> r.store().removeListener(listener));
    // Registered before the first read, so no change falls between the two.
    r.store().addListener(listener);
    synchronized (out) {
      var current = r.store().get(type, ns, ref.getName());
      if (current.isEmpty()) {
        r.store().removeListener(listener);
        out.onError(notFound(ref));
        return;
      }
      out.onNext(reply(current.get()));
    }
  }

  @Override
  @Blocking
  public void logs(LogsRequest request, StreamObserver<LogChunk> response) {
    LocalMode.Running r = authorize(response);
    if (r != null) {
      logs.stream(r, request, (ServerCallStreamObserver<LogChunk>) response);
    }
  }

  /** Work that answers with one reply. */
  private interface Unary<T> {
    T run(LocalMode.Running running);
  }

  private <T> void call(StreamObserver<T> response, Unary<T> work) {
    LocalMode.Running r = authorize(response);
    if (r == null) {
      return;
    }
    T reply;
    try {
      reply = work.run(r);
    } catch (StatusRuntimeException e) {
      response.onError(e);
      return;
    } catch (LocalStore.StoreException e) {
      Status status =
          switch (e.reason()) {
            case NOT_FOUND -> Status.NOT_FOUND;
            case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
            case CONFLICT -> Status.ABORTED;
          };
      response.onError(status.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (IllegalArgumentException e) {
      // The validator's and the manifest reader's messages say what is wrong and where.
      response.onError(invalid(e.getMessage()));
      return;
    }
    response.onNext(reply);
    response.onCompleted();
  }

  /** The running local mode, or null after answering UNIMPLEMENTED or UNAUTHENTICATED. */
  private LocalMode.Running authorize(StreamObserver<?> response) {
    if (!mode.active()) {
      response.onError(
          Status.UNIMPLEMENTED
              .withDescription("the LocalApi is served in local mode only (KILN_MODE=local)")
              .asRuntimeException());
      return null;
    }
    LocalMode.Running r = mode.require();
    String token = BearerToken.current();
    if (token == null
        || !MessageDigest.isEqual(
            token.getBytes(StandardCharsets.UTF_8),
            r.secrets().apiToken().getBytes(StandardCharsets.UTF_8))) {
      response.onError(
          Status.UNAUTHENTICATED
              .withDescription(
                  "a valid 'authorization: Bearer <token>' is required; the token is in "
                      + r.configFile())
              .asRuntimeException());
      return null;
    }
    return r;
  }

  private static HasMetadata find(LocalMode.Running r, ResourceRef ref) {
    return r.store()
        .get(kind(ref.getKind()), namespace(ref), ref.getName())
        .orElseThrow(() -> notFound(ref));
  }

  static Class<? extends HasMetadata> kind(String kind) {
    String k = kind.isEmpty() ? TrainingJob.KIND : kind;
    Class<? extends HasMetadata> type = Manifests.kinds().get(k);
    if (type == null) {
      throw invalid(
          "kind '" + kind + "' is not a Kiln kind; expected one of " + Manifests.kinds().keySet());
    }
    return type;
  }

  static String namespace(ResourceRef ref) {
    return ref.getNamespace().isEmpty() ? "default" : ref.getNamespace();
  }

  private static StatusRuntimeException notFound(ResourceRef ref) {
    String kind = ref.getKind().isEmpty() ? TrainingJob.KIND : ref.getKind();
    return Status.NOT_FOUND
        .withDescription(kind + " " + namespace(ref) + "/" + ref.getName() + " not found")
        .asRuntimeException();
  }

  private static StatusRuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  private static ResourceReply reply(HasMetadata resource) {
    return ResourceReply.newBuilder().setJson(Manifests.toJson(resource)).build();
  }
}
