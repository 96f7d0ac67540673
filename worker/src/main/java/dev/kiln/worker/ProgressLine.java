package dev.kiln.worker;

import java.util.Locale;

/**
 * Rank 0's progress on stdout, one line per report, stable and regex-friendly: {@code key=value}
 * pairs separated by spaces, numbers in plain decimal (never exponents), e.g. {@code epoch=3/20
 * step=120/600 loss=0.2134 accuracy=0.9412 val_loss=0.1988 val_accuracy=0.9521
 * samples_per_sec=12345 eta_s=42}. Lines within an epoch carry rank 0's running loss and accuracy;
 * the line at an epoch's end carries values over all ranks and the validation metrics.
 */
final class ProgressLine {
  private final StringBuilder sb = new StringBuilder();

  ProgressLine(int epoch, int epochs, long step, long steps) {
    sb.append("epoch=").append(epoch).append('/').append(epochs);
    sb.append(" step=").append(step).append('/').append(steps);
  }

  ProgressLine metric(String name, double value) {
    if (Double.isFinite(value)) {
      sb.append(' ').append(name).append('=').append(String.format(Locale.ROOT, "%.4f", value));
    } else {
      sb.append(' ').append(name).append("=nan");
    }
    return this;
  }

  ProgressLine count(String name, double value) {
    sb.append(' ').append(name).append('=').append(Math.round(value));
    return this;
  }

  @Override
  public String toString() {
    return sb.toString();
  }
}
