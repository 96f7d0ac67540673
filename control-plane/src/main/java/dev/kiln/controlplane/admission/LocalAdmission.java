package dev.kiln.controlplane.admission;

import com.sun.management.OperatingSystemMXBean;
import dev.kiln.controlplane.local.LocalController;
import dev.kiln.controlplane.local.LocalMode;
import dev.kiln.scheduler.core.Resources;
import io.fabric8.kubernetes.api.model.Quantity;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.File;
import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Local mode: admits through the same core, with this machine as the one node. */
@ApplicationScoped
public class LocalAdmission implements LocalController {
  private static final Logger LOG = LoggerFactory.getLogger(LocalAdmission.class);

  private final GangAdmission admission;
  private final AdmissionSettings settings;

  public LocalAdmission(GangAdmission admission, AdmissionSettings settings) {
    this.admission = admission;
    this.settings = settings;
  }

  @Override
  public void start(LocalMode.Running running) {
    Resources machine = machine(settings);
    admission.attach(new LocalAdmissionBackend(running, machine), settings.interval());
    LOG.info("local admission: this machine offers {}", machine);
  }

  /** The machine's size, each dimension detected unless set. */
  static Resources machine(AdmissionSettings s) {
    long cpu =
        s.localCpu()
            .map(c -> JobGangs.milli(new Quantity(c)))
            .orElse(Runtime.getRuntime().availableProcessors() * 1000L);
    long memory =
        s.localMemory()
            .map(m -> JobGangs.whole(new Quantity(m)))
            .orElseGet(
                () ->
                    ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getTotalMemorySize());
    int gpus = s.localGpu().orElseGet(LocalAdmission::nvidiaDevices);
    return new Resources(cpu, memory, gpus);
  }

  /** {@code /dev/nvidia0}, {@code /dev/nvidia1}, ...: one per GPU the driver exposes. */
  static int nvidiaDevices() {
    String[] names = new File("/dev").list((dir, name) -> name.matches("nvidia\\d+"));
    return names == null ? 0 : names.length;
  }

  @Override
  public void close() {
    admission.close();
  }
}
