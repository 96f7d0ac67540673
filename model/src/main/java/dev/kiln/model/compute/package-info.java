/**
 * The compute-backend SPI: {@link dev.kiln.model.compute.ComputeBackend} over {@link
 * dev.kiln.model.compute.DeviceBuffer}s, found by name through {@link
 * dev.kiln.model.compute.ComputeBackends} ({@code ServiceLoader}).
 */
package dev.kiln.model.compute;
