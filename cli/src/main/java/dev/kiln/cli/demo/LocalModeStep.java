package dev.kiln.cli.demo;

import dev.kiln.cli.data.DataCommand;
import dev.kiln.cli.local.LocalControlPlane;
import dev.kiln.cli.local.LocalFile;
import dev.kiln.cli.train.Backends;
import java.util.Optional;

/** Uses the running local mode, or starts one in the background (stop it with kiln local down). */
final class LocalModeStep implements DemoStep {
  @Override
  public String title() {
    return "local mode";
  }

  @Override
  public void run(DemoContext demo) {
    LocalControlPlane plane = new LocalControlPlane(demo.kiln);
    Optional<LocalFile> running = plane.running();
    if (running.isPresent()) {
      demo.local = running.get();
      demo.out.println(
          "    using the running local control plane at " + demo.local.config().address());
    } else {
      demo.local =
          plane.startDetached(
              new LocalControlPlane.Options(plane.defaultHome(), 7070, 7071), demo.err);
      demo.out.println(
          "    started: control plane "
              + demo.local.config().address()
              + ", S3 "
              + demo.local.config().s3()
              + " (stop it with: kiln local down)");
    }
    demo.s3 = DataCommand.forLocalMode(demo.kiln);
    demo.jobs = Backends.open(demo.kiln);
  }
}
