/**
 * What a Kiln model is: the {@code algorithm} spec as values ({@link dev.kiln.model.ModelConfig}),
 * a sequential MLP whose parameters live in one contiguous array ({@link dev.kiln.model.Network}),
 * losses, optimizers with exportable state, learning-rate schedules, standardization and inference
 * ({@link dev.kiln.model.Predictor}).
 *
 * <p>A data-parallel step on every rank: {@code net.forwardBackward(x, y, rows, sampleIds, epoch,
 * 1f / globalBatch)}, then {@code net.syncGradientsToHost()}, all-reduce {@code net.gradients()}
 * with SUM, {@code net.syncGradientsToDevice()}, {@code optimizer.step(net, schedule.at(epoch,
 * step, stepsPerEpoch))}. Numbers are bit-identical for any thread count.
 */
package dev.kiln.model;
