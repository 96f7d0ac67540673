/**
 * The {@code cpu} backend: a blocked, packed, multi-threaded sgemm around register-blocked JDK
 * Vector API micro-kernels (JVM flag {@code --add-modules jdk.incubator.vector}; without it,
 * bit-identical plain-Java kernels), fused bias/activation epilogues and a small spinning pool.
 */
package dev.kiln.model.compute.cpu;
