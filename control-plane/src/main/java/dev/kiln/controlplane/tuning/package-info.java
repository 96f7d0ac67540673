/**
 * The TuningJob controller: a pure core ({@link dev.kiln.controlplane.tuning.TuningJobCore}) that
 * turns a sweep and its trial TrainingJobs into actions and a new status, and its two shells, the
 * JOSDK reconciler for a cluster and a {@link dev.kiln.controlplane.local.LocalController} for
 * local mode.
 */
package dev.kiln.controlplane.tuning;
