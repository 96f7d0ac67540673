package dev.kiln.controlplane.local;

/**
 * A controller that runs beside the TrainingJob loop in local mode (sweeps, endpoints, queues).
 * Each is a CDI bean of its own; {@link LocalMode} starts every one once the store and S3 are up,
 * just before the TrainingJob loop starts, and closes them before it stops the loop, so no
 * controller edits another's wiring.
 */
public interface LocalController extends AutoCloseable {

  /** Starts this controller's work over what local mode runs. Must not block. */
  void start(LocalMode.Running running) throws Exception;

  /** Stops its threads and the processes it started; called once, before the TrainingJob loop. */
  @Override
  void close();
}
