package dev.kiln.worker;

import dev.kiln.model.ModelConfig;
import dev.kiln.model.Network;
import dev.kiln.model.Optimizer;
import dev.kiln.model.Standardizer;
import dev.kiln.model.compute.ComputeBackend;
import dev.kiln.model.compute.ComputeBackends;
import dev.kiln.worker.checkpoint.Checkpoint;
import dev.kiln.worker.checkpoint.CheckpointStore;
import dev.kiln.worker.collective.Collective;
import dev.kiln.worker.data.ChannelLoader;
import dev.kiln.worker.data.DataException;
import dev.kiln.worker.data.Dataset;
import dev.kiln.worker.data.ObjectStore;
import dev.kiln.worker.data.Targets;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Optional;

/**
 * Everything a rank trains with, prepared: channels loaded and standardized (fitted on the training
 * channel), the network and optimizer built, and both restored from the newest checkpoint if there
 * is one.
 */
record TrainerState(
    Network network,
    Optimizer optimizer,
    Collective collective,
    Dataset train,
    Dataset validation,
    Standardizer standardizer,
    ObjectStore store,
    CheckpointStore checkpoints,
    int checkpointEvery,
    int startEpoch,
    long startStep,
    double loadSeconds) {

  static TrainerState prepare(
      RankEnv env,
      JobSpec spec,
      BackendChoice choice,
      ObjectStore store,
      Collective collective,
      PrintStream out)
      throws IOException {
    ModelConfig config = spec.algorithm();
    int outputs = config.outputWidth();
    Targets targets = Targets.forLoss(config.loss().specName());
    long t0 = System.nanoTime();
    ChannelLoader loader = new ChannelLoader(store);
    Dataset train = loader.load(spec.train(), targets, outputs, null);
    if (train.rows() < collective.worldSize()) {
      throw new DataException(
          "channel 'train' has "
              + train.rows()
              + " rows, fewer than the "
              + collective.worldSize()
              + " ranks: some ranks would get an empty shard");
    }
    Dataset validation =
        spec.validation() == null ? null : loader.load(spec.validation(), targets, outputs, train);
    Standardizer st = Standardizer.fit(train.x(), train.rows(), train.features());
    train = standardized(train, st);
    validation = validation == null ? null : standardized(validation, st);
    double loadSeconds = (System.nanoTime() - t0) / 1e9;
    out.println(
        "data train_rows="
            + train.rows()
            + " features="
            + train.features()
            + (validation == null ? "" : " validation_rows=" + validation.rows()));

    ComputeBackend backend = ComputeBackends.create(choice.compute(), threads(env, spec));
    Network net = Network.create(config, train.features(), backend);
    Optimizer opt = Optimizer.create(config.optimizer(), net);
    CheckpointStore checkpoints = new CheckpointStore(store, spec.outputUri(), env.jobUid());
    int startEpoch = 0;
    long startStep = 0;
    Optional<Checkpoint> resume = checkpoints.latest();
    if (resume.isPresent()) {
      Checkpoint c = resume.get();
      restore(c, net, opt, train, config);
      startEpoch = c.epoch();
      startStep = c.step();
      out.println("resumed from checkpoint epoch=" + c.epoch() + " step=" + c.step());
    }
    agreeOnStart(collective, startEpoch);
    return new TrainerState(
        net,
        opt,
        collective,
        train,
        validation,
        st,
        store,
        checkpoints,
        spec.checkpointEveryEpochs(),
        startEpoch,
        startStep,
        loadSeconds);
  }

  private static void restore(
      Checkpoint c, Network net, Optimizer opt, Dataset train, ModelConfig config) {
    if (c.inputWidth() != train.features() || c.parameters().length != net.parameterCount()) {
      throw new DataException(
          "the checkpoint was taken with input width "
              + c.inputWidth()
              + " and "
              + c.parameters().length
              + " parameters, but the training channel has "
              + train.features()
              + " features and the model "
              + net.parameterCount()
              + " parameters: the data or the model changed under a resume");
    }
    if (!c.dataDigest().equals(train.digest())) {
      System.err.println("kiln worker: the training data changed since the checkpoint was taken");
    }
    if (c.seed() != config.seed()) {
      System.err.println("kiln worker: the seed changed since the checkpoint was taken");
    }
    System.arraycopy(c.parameters(), 0, net.parameters(), 0, c.parameters().length);
    net.syncParametersToDevice();
    opt.importState(c.optimizer());
  }

  /** Every rank must resume from the same epoch; rank 0's choice is checked by all. */
  private static void agreeOnStart(Collective collective, int startEpoch) {
    float[] epoch = {startEpoch};
    collective.broadcast(epoch, 0);
    if ((int) epoch[0] != startEpoch) {
      throw new IllegalStateException(
          "rank "
              + collective.rank()
              + " found checkpoint epoch "
              + startEpoch
              + " but rank 0 resumes from epoch "
              + (int) epoch[0]);
    }
  }

  private static Dataset standardized(Dataset d, Standardizer st) {
    float[] x = new float[d.x().length];
    st.apply(d.x(), x, d.rows());
    return new Dataset(
        d.name(),
        x,
        d.rows(),
        d.features(),
        d.targets(),
        d.targetWidth(),
        d.featureNames(),
        d.labelName(),
        d.encoding(),
        d.digest());
  }

  static int threads(RankEnv env, JobSpec spec) {
    if (env.threads() > 0) {
      return env.threads();
    }
    int cores = Runtime.getRuntime().availableProcessors();
    return spec.cpus() > 0 ? Math.min(spec.cpus(), cores) : cores;
  }
}
