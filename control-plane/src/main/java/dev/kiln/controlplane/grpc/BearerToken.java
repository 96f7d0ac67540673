package dev.kiln.controlplane.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/** Lifts {@code authorization: Bearer <token>} from a call's metadata into its gRPC context. */
@ApplicationScoped
public class BearerToken implements ServerInterceptor {
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** The caller's token, or null when it sent none. */
  static final Context.Key<String> TOKEN = Context.key("kiln-token");

  private static final String BEARER = "Bearer ";

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    String header = headers.get(AUTHORIZATION);
    String token =
        header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
            ? header.substring(BEARER.length()).trim()
            : null;
    return Contexts.interceptCall(Context.current().withValue(TOKEN, token), call, headers, next);
  }

  /** The token of the call being served. */
  public static String current() {
    return TOKEN.get();
  }
}
