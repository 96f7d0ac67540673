package dev.kiln.worker.collective;

/**
 * A rank as a child process for failure tests: joins the gang from the rank contract environment,
 * all-reduces in a loop and prints one line per iteration; prints {@code FAILED: <message>} and
 * exits 3 when the collective fails.
 */
public final class RankProcess {
  private RankProcess() {}

  public static void main(String[] args) {
    String backend = args.length > 0 ? args[0] : "tcp";
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : Integer.MAX_VALUE;
    CollectiveConfig config = CollectiveConfig.fromEnv(System.getenv());
    try (Collective c = Collectives.open(backend, config)) {
      float[] a = new float[256 * 1024];
      for (int i = 0; i < iterations; i++) {
        c.allReduce(a, ReduceOp.AVG);
        System.out.println("iteration " + i);
        System.out.flush();
        Thread.sleep(20);
      }
    } catch (CollectiveException e) {
      System.out.println("FAILED: " + e.getMessage());
      System.out.flush();
      System.exit(3);
    } catch (InterruptedException e) {
      System.exit(4);
    }
  }
}
