/**
 * The {@code cuda} compute backend: JCuda's driver API, kernels compiled ahead of time to PTX
 * ({@code src/main/cuda/kernels.cu}, checked in as a resource), parameters, gradients and optimizer
 * state kept in device memory between steps.
 */
package dev.kiln.model.compute.cuda;
