package dev.kiln.endpoint.runner;

/** A loaded model that runs the forward pass over a batch of rows; safe to call from any thread. */
public interface ModelRunner extends AutoCloseable {

  /** The model's input and output. */
  ModelSignature signature();

  /**
   * Runs {@code rows} rows, each {@code signature().inputWidth()} values laid out row after row,
   * and returns the outputs laid out the same way ({@code rows × output width}).
   */
  float[] run(float[] batch, int rows);

  @Override
  void close();
}
