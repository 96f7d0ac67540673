package dev.kiln.tuner.stopping;

import dev.kiln.tuner.Trial;
import java.util.List;

/** Every trial runs its full budget. */
final class NoStopping implements EarlyStopping {
  private final int maxEpochs;

  NoStopping(int maxEpochs) {
    this.maxEpochs = maxEpochs;
  }

  @Override
  public String name() {
    return "none";
  }

  @Override
  public int maxEpochs() {
    return maxEpochs;
  }

  @Override
  public int initialEpochs(int trialIndex) {
    return maxEpochs;
  }

  @Override
  public Decision decide(Trial trial, List<Trial> trials) {
    return Decision.CONTINUE;
  }

  @Override
  public List<Promotion> promotions(List<Trial> trials, int slots) {
    return List.of();
  }
}
