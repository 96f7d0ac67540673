package dev.kiln.controlplane.local;

import com.google.protobuf.ByteString;
import dev.kiln.api.TrainingJob;
import dev.kiln.grpc.LogChunk;
import dev.kiln.grpc.LogsRequest;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Streams a rank's log file: what is there, and with {@code follow} what is added until the rank's
 * process has ended (or its job is gone). Following polls the file on a shared timer, so a follower
 * holds no thread while it waits.
 */
@ApplicationScoped
public class RankLogStreams {
  static final int CHUNK = 64 * 1024;
  private static final long POLL_MILLIS = 250;

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "kiln-local-logs");
            t.setDaemon(true);
            return t;
          });

  void stream(LocalMode.Running r, LogsRequest request, ServerCallStreamObserver<LogChunk> out) {
    String ns = request.getNamespace().isEmpty() ? "default" : request.getNamespace();
    Optional<TrainingJob> job = r.store().get(TrainingJob.class, ns, request.getJob());
    if (job.isEmpty()) {
      out.onError(
          Status.NOT_FOUND
              .withDescription("TrainingJob " + ns + "/" + request.getJob() + " not found")
              .asRuntimeException());
      return;
    }
    String uid = job.get().getMetadata().getUid();
    int attempt = request.getAttempt() > 0 ? request.getAttempt() : attemptInForce(job.get());
    int rank = request.getRank();
    Path log = r.layout().log(uid, attempt, rank);
    String rankName = request.getJob() + "-" + attempt + "-" + rank;
    if (!request.getFollow() && !log.toFile().exists()) {
      out.onError(
          Status.NOT_FOUND
              .withDescription("rank " + rank + " of attempt " + attempt + " has no log yet")
              .asRuntimeException());
      return;
    }
    long[] offset = {0};
    AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
    Runnable pump =
        () -> {
          try {
            if (out.isCancelled()) {
              cancel(task);
              return;
            }
            // Whether it ended is read before the file, so nothing written last is missed.
            boolean ended = !request.getFollow() || ended(r, uid, rankName);
            while (true) {
              byte[] bytes = LogFiles.read(log, offset[0], CHUNK);
              if (bytes.length == 0) {
                break;
              }
              offset[0] += bytes.length;
              out.onNext(LogChunk.newBuilder().setData(ByteString.copyFrom(bytes)).build());
            }
            if (ended) {
              cancel(task);
              out.onCompleted();
            }
          } catch (IOException | RuntimeException e) {
            cancel(task);
            out.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
          }
        };
    task.set(timer.scheduleWithFixedDelay(pump, 0, POLL_MILLIS, TimeUnit.MILLISECONDS));
    out.setOnCancelHandler(() -> cancel(task));
  }

  private static int attemptInForce(TrainingJob job) {
    Integer a = job.getStatus() == null ? null : job.getStatus().attempt;
    return a == null || a == 0 ? 1 : a;
  }

  /** The rank's process has ended, or its record is gone (the job was deleted or moved on). */
  private static boolean ended(LocalMode.Running r, String uid, String rankName) {
    Optional<RankRecord> rank = r.ranks().get(uid, rankName);
    if (rank.isEmpty()) {
      return r.store().findByUid(TrainingJob.class, uid).isEmpty()
          || attemptMovedOn(r, uid, rankName);
    }
    RankRecord x = rank.get();
    if (x.process() == null) {
      return x.problem() != null;
    }
    return !(r.processes().observe(x.process()) instanceof LocalProcesses.State.Running);
  }

  /** A rank not started yet is waited for only while its attempt is the one in force. */
  private static boolean attemptMovedOn(LocalMode.Running r, String uid, String rankName) {
    Optional<TrainingJob> job = r.store().findByUid(TrainingJob.class, uid);
    if (job.isEmpty() || job.get().getStatus() == null || job.get().getStatus().phase == null) {
      return false;
    }
    int attempt = attemptInForce(job.get());
    String prefix = job.get().getMetadata().getName() + "-" + attempt + "-";
    return !rankName.startsWith(prefix) || job.get().getStatus().phase.isTerminal();
  }

  private static void cancel(AtomicReference<ScheduledFuture<?>> task) {
    ScheduledFuture<?> f = task.get();
    if (f != null) {
      f.cancel(false);
    }
  }

  @PreDestroy
  void close() {
    timer.shutdownNow();
  }
}
