package dev.kiln.controlplane.local;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded S3 server as a process of its own: {@code S3ServerMain DIR HOST PORT}, keys in
 * {@code KILN_S3_ACCESS_KEY} and {@code KILN_S3_SECRET_KEY} (never on the command line, where
 * {@code ps} shows them). Runs until SIGTERM.
 */
public final class S3ServerMain {
  private S3ServerMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: S3ServerMain DIR HOST PORT");
      System.exit(2);
    }
    EmbeddedS3 s3 =
        EmbeddedS3.start(
            Path.of(args[0]),
            args[1],
            Integer.parseInt(args[2]),
            System.getenv("KILN_S3_ACCESS_KEY"),
            System.getenv("KILN_S3_SECRET_KEY"));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    s3.close();
                  } catch (Exception e) {
                    System.err.println("stopping the S3 server: " + e);
                  }
                  stopped.countDown();
                }));
    System.out.println("kiln S3 server ready at " + s3.endpoint());
    stopped.await();
  }
}
