package dev.kiln.worker.gpu;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import java.util.Arrays;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs the named test classes with the JUnit launcher, without Maven: what {@code
 * src/test/gpu/run-on-gpu.sh} uses on a GPU machine that has only a Java runtime. Prints one line
 * per test (with skip reasons) and a summary; exits 1 when anything failed, 2 when nothing ran.
 */
public final class GpuSuite {
  private GpuSuite() {}

  public static void main(String[] classes) {
    if (classes.length == 0) {
      System.err.println("usage: GpuSuite TEST_CLASS...");
      System.exit(2);
    }
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(Arrays.stream(classes).map(c -> selectClass(c)).toList())
            .build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    launcher.execute(request, summary, new Lines());
    TestExecutionSummary s = summary.getSummary();
    s.printFailuresTo(new PrintWriter(System.out, true), 20);
    s.printTo(new PrintWriter(System.out, true));
    if (s.getTotalFailureCount() > 0) {
      System.exit(1);
    }
    System.exit(s.getTestsFoundCount() == 0 ? 2 : 0);
  }

  /** One line per finished or skipped test. */
  private static final class Lines implements TestExecutionListener {
    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
      System.out.println("SKIPPED " + name(id) + ": " + reason);
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
      if (id.isTest()) {
        String why = result.getThrowable().map(t -> ": " + t).orElse("");
        System.out.println(result.getStatus() + " " + name(id) + why);
      }
    }

    private static String name(TestIdentifier id) {
      return id.getUniqueId()
          .replaceAll(".*\\[class:([^\\]]*)\\].*\\[method:([^\\]]*)\\].*", "$1.$2");
    }
  }
}
