package dev.kiln.cli.demo;

/**
 * One step of {@code kiln demo}. The steps are listed in {@link DemoCommand#STEPS}, in order; a
 * later issue (sweep, endpoint) adds its own there.
 */
public interface DemoStep {

  /** What the step does, in a few words, e.g. {@code train a 2-rank TrainingJob}. */
  String title();

  /** Does it, reading and adding to what earlier steps left in {@code demo}. */
  void run(DemoContext demo) throws Exception;
}
