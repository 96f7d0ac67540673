package dev.kiln.worker;

import dev.kiln.grpc.ReportMetricsResponse;
import dev.kiln.model.LearningRateSchedule;
import dev.kiln.model.Metrics;
import dev.kiln.model.ModelConfig;
import dev.kiln.model.Network;
import dev.kiln.model.Optimizer;
import dev.kiln.worker.checkpoint.Checkpoint;
import dev.kiln.worker.collective.Collective;
import dev.kiln.worker.collective.ReduceOp;
import dev.kiln.worker.data.BatchSampler;
import dev.kiln.worker.data.Dataset;
import dev.kiln.worker.report.MetricsReporter;
import dev.kiln.worker.report.WorkerMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The data-parallel training loop of one rank. Every step: forward and backward over this rank's
 * slice of the global batch with gradients scaled by 1/(global batch), all-reduce SUM of the one
 * gradient buffer, the same optimizer update on every rank. Per epoch: metrics over all ranks,
 * validation, rank 0's report and progress line, a checkpoint when due.
 */
final class Trainer {
  /** How long rank 0 waits for the control plane's answer before going on (it keeps retrying). */
  static final long REPORT_WAIT_MS = 10_000;

  private final TrainerState s;
  private final PrintStream out;
  private final ModelConfig config;
  private final Network net;
  private final Optimizer optimizer;
  private final Collective collective;
  private final WorkerMetrics metrics;
  private final MetricsReporter reporter;
  private final BatchSampler sampler;
  private final LearningRateSchedule schedule;
  private final float[] xb;
  private final float[] yb;
  private final float[] outputs;
  private final long[] ids;
  private long step;
  private Map<String, Double> lastMetrics = Map.of();

  Trainer(TrainerState s, PrintStream out, WorkerMetrics metrics, MetricsReporter reporter) {
    this.s = s;
    this.out = out;
    this.config = s.network().config();
    this.net = s.network();
    this.optimizer = s.optimizer();
    this.collective = s.collective();
    this.metrics = metrics;
    this.reporter = reporter;
    Dataset train = s.train();
    this.sampler =
        new BatchSampler(config.seed(), train.rows(), collective.worldSize(), config.batchSize());
    this.schedule = LearningRateSchedule.of(config);
    int b = config.batchSize();
    this.xb = new float[b * train.features()];
    this.yb = new float[b * train.targetWidth()];
    this.outputs = new float[b * net.outputWidth()];
    this.ids = new long[b];
    this.step = s.startStep();
    metrics.dataSeconds(s.loadSeconds());
    metrics.step(step);
  }

  /** Trains from the resumed epoch to the end (or an early stop); returns the final metrics. */
  Map<String, Double> run() throws IOException {
    int epochs = config.epochs();
    for (int epoch = s.startEpoch(); epoch < epochs; epoch++) {
      long t0 = System.nanoTime();
      double[] local = trainEpoch(epoch, epochs);
      double trainSeconds = (System.nanoTime() - t0) / 1e9;
      Map<String, Double> m = epochMetrics(local, trainSeconds, epoch, epochs);
      lastMetrics = m;
      boolean stop = reportAndDecide(epoch + 1, m);
      int done = epoch + 1;
      if (collective.rank() == 0 && (done % s.checkpointEvery() == 0 || done == epochs || stop)) {
        String where = s.checkpoints().save(checkpoint(done));
        out.println("checkpoint epoch=" + done + " uri=" + where);
      }
      if (stop) {
        out.println("stopping early after epoch " + done + ": the control plane said stop");
        break;
      }
    }
    return lastMetrics;
  }

  /** One epoch of steps; returns this rank's {lossSum, correct, samples}. */
  private double[] trainEpoch(int epoch, int epochs) {
    int[] perm = sampler.permutation(epoch);
    int steps = sampler.stepsPerEpoch();
    int rank = collective.rank();
    double lossSum = 0;
    long correct = 0;
    long samples = 0;
    long lastLine = System.nanoTime();
    long epochStart = lastLine;
    for (int k = 0; k < steps; k++) {
      long tData = System.nanoTime();
      int from = sampler.sliceStart(k, rank);
      int rows = sampler.sliceEnd(k, rank) - from;
      gather(perm, from, rows);
      metrics.dataSeconds((System.nanoTime() - tData) / 1e9);
      float[] grads = net.gradients();
      if (rows > 0) {
        float scale = 1f / sampler.batchSize(k);
        lossSum += net.forwardBackward(xb, yb, rows, ids, epoch, scale);
        net.readOutputs(outputs);
        correct += Metrics.correct(config.loss(), outputs, yb, rows, net.outputWidth());
        net.syncGradientsToHost();
      } else {
        Arrays.fill(grads, 0f); // an empty slice of a short last batch adds nothing
      }
      samples += rows;
      long tReduce = System.nanoTime();
      collective.allReduce(grads, ReduceOp.SUM);
      metrics.allReduceSeconds((System.nanoTime() - tReduce) / 1e9);
      net.syncGradientsToDevice();
      optimizer.step(net, schedule.at(epoch, k, steps));
      step++;
      metrics.step(step);
      long now = System.nanoTime();
      if (rank == 0 && now - lastLine > TimeUnit.SECONDS.toNanos(5) && k + 1 < steps) {
        lastLine = now;
        double sps = (double) sampler.globalBatch() * (k + 1) / ((now - epochStart) / 1e9);
        ProgressLine line = new ProgressLine(epoch + 1, epochs, k + 1, steps);
        line.metric("loss", lossSum / Math.max(1, samples));
        if (config.loss().isClassification()) {
          line.metric("accuracy", (double) correct / Math.max(1, samples));
        }
        out.println(line.count("samples_per_sec", sps));
      }
    }
    return new double[] {lossSum, correct, samples};
  }

  /** Copies this rank's slice (positions [from, from+rows) of the permutation) into the buffers. */
  private void gather(int[] perm, int from, int rows) {
    Dataset d = s.train();
    int f = d.features();
    int tw = d.targetWidth();
    for (int i = 0; i < rows; i++) {
      int row = perm[from + i];
      System.arraycopy(d.x(), row * f, xb, i * f, f);
      System.arraycopy(d.targets(), row * tw, yb, i * tw, tw);
      ids[i] = row;
    }
  }

  /** Sums the epoch's counts and the validation's over all ranks; prints rank 0's line. */
  private Map<String, Double> epochMetrics(
      double[] local, double trainSeconds, int epoch, int epochs) {
    Dataset v = s.validation();
    double[] val = {0, 0};
    int valRows = 0;
    if (v != null) {
      int n = collective.worldSize();
      int from = (int) ((long) v.rows() * collective.rank() / n);
      int to = (int) ((long) v.rows() * (collective.rank() + 1) / n);
      val = Evaluation.evaluate(net, v, from, to);
      valRows = to - from;
    }
    float[] sums = {
      (float) local[0], (float) local[1], (float) local[2], (float) val[0], (float) val[1], valRows
    };
    collective.allReduce(sums, ReduceOp.SUM);
    Map<String, Double> m = new LinkedHashMap<>();
    double samples = Math.max(1, sums[2]);
    m.put("loss", sums[0] / samples);
    boolean classification = config.loss().isClassification();
    if (classification) {
      m.put("accuracy", sums[1] / samples);
    }
    if (v != null) {
      m.put("val_loss", (double) sums[3] / Math.max(1f, sums[5]));
      if (classification) {
        m.put("val_accuracy", (double) sums[4] / Math.max(1f, sums[5]));
      }
    }
    double sps = sums[2] / Math.max(1e-9, trainSeconds);
    m.put("samples_per_sec", sps);
    metrics.epoch(epoch + 1);
    metrics.loss(m.get("loss"));
    metrics.samplesPerSecond(sps);
    if (collective.rank() == 0) {
      int steps = sampler.stepsPerEpoch();
      ProgressLine line = new ProgressLine(epoch + 1, epochs, steps, steps);
      for (String k : new String[] {"loss", "accuracy", "val_loss", "val_accuracy"}) {
        if (m.containsKey(k)) {
          line.metric(k, m.get(k));
        }
      }
      line.count("samples_per_sec", sps);
      line.count("eta_s", trainSeconds * (epochs - epoch - 1));
      out.println(line);
    }
    return m;
  }

  /** Rank 0 reports; every rank learns whether to stop (one broadcast). */
  private boolean reportAndDecide(int epoch, Map<String, Double> m) {
    float[] stop = {0f};
    if (collective.rank() == 0 && reporter != null) {
      Map<String, Double> values = new LinkedHashMap<>(m);
      values.put("epoch", (double) epoch);
      try {
        ReportMetricsResponse r = awaitReply(reporter.report(epoch, values));
        if (r != null && r.getStop()) {
          stop[0] = 1f;
          out.println(
              "control plane: stop" + (r.getReason().isEmpty() ? "" : " (" + r.getReason() + ")"));
        }
      } catch (TimeoutException e) {
        System.err.println("kiln worker: epoch " + epoch + " not yet acknowledged; still retrying");
      } catch (Exception e) {
        System.err.println("kiln worker: reporting epoch " + epoch + " failed: " + e);
      }
    }
    if (collective.worldSize() > 1) {
      collective.broadcast(stop, 0);
    }
    return stop[0] != 0f;
  }

  /** The answer, or a timeout; gives up at once when the gang has failed meanwhile. */
  private ReportMetricsResponse awaitReply(CompletableFuture<ReportMetricsResponse> reply)
      throws Exception {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REPORT_WAIT_MS);
    while (true) {
      try {
        return reply.get(50, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        if (System.nanoTime() > end || collective.failure() != null) {
          throw e;
        }
      }
    }
  }

  private Checkpoint checkpoint(int epochsDone) {
    net.syncParametersToHost();
    return new Checkpoint(
        epochsDone,
        step,
        net.parameters().clone(),
        optimizer.exportState(),
        net.inputWidth(),
        config.seed(),
        s.train().digest());
  }
}
