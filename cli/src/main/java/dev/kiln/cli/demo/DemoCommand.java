package dev.kiln.cli.demo;

import dev.kiln.cli.ExitCodes;
import dev.kiln.cli.Kiln;
import dev.kiln.cli.KilnSubcommand;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code kiln demo}: Kiln's whole path on this machine, one step after another. Its last accuracy
 * line is the held-out accuracy of the model it ends with.
 */
@Command(
    name = "demo",
    description = {
      "Train a 2-rank TrainingJob on real data in local mode and measure it on held-out data.",
      "Starts local mode if none runs (stop it with: kiln local down)."
    })
public final class DemoCommand implements KilnSubcommand, Callable<Integer> {
  /** The demo, in order; the sweep and endpoint issues add their steps here. */
  static final List<DemoStep> STEPS =
      List.of(
          new LocalModeStep(),
          new DataStep(),
          new TrainStep(),
          new EvaluateStep(),
          new SweepStep(),
          new EndpointStep());

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Kiln kiln = Kiln.of(spec);
    PrintWriter out = spec.commandLine().getOut();
    long started = System.nanoTime();
    try (DemoContext demo =
        new DemoContext(kiln, out, spec.commandLine().getErr(), kiln.repoHome())) {
      for (int i = 0; i < STEPS.size(); i++) {
        DemoStep step = STEPS.get(i);
        out.println("[" + (i + 1) + "/" + STEPS.size() + "] " + step.title());
        out.flush();
        step.run(demo);
        out.flush();
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    out.println("demo done in " + took.toSeconds() + "s");
    out.flush();
    return ExitCodes.OK;
  }
}
