/**
 * Kiln's tuner: search strategies and early stopping for hyperparameter sweeps, a pure library (no
 * I/O outside {@code bench} and {@code blackbox.CommandObjective}).
 *
 * <h2>Search</h2>
 *
 * <pre>{@code
 * SearchSpace space = SearchSpace.fromMaps(tuningJob.spec.parameters);   // or SearchSpace.of(Parameter...)
 * Goal goal = Goal.parse(tuningJob.spec.objective.goal);                 // minimize | maximize
 * SearchStrategy strategy = Strategies.create("bayesian", space, goal, seed, maxTrials);
 * List<Suggestion> next = strategy.suggest(freeSlots, trials);           // trials: every trial, any state
 * next.get(0).asStrings();                                               // -> TrainingJob hyperparameters
 * }</pre>
 *
 * <p>A {@link dev.kiln.tuner.Trial} is rebuilt from what the controller records: index, parameters
 * (strings are fine), {@link dev.kiln.tuner.TrialState} and the objective's per-epoch history from
 * {@code status.metrics}. Strategies keep no state that matters: the same seed and trials give the
 * same suggestions, also from a new instance after a restart.
 *
 * <h2>Early stopping</h2>
 *
 * <p>{@link dev.kiln.tuner.stopping.EarlyStopping#create} gives asha, hyperband, median or none;
 * {@code initialEpochs(k)} is trial k's starting {@code algorithm.epochs}, {@code decide} says
 * continue or stop after a report, {@code promotions} names paused trials to resume from their
 * checkpoint with a larger epoch budget.
 *
 * <h2>Benchmark</h2>
 *
 * <p>{@link dev.kiln.tuner.bench.TunerBench} runs strategies on test functions or on a command,
 * through the same {@link dev.kiln.tuner.blackbox.BlackBoxRunner} loop.
 */
package dev.kiln.tuner;
