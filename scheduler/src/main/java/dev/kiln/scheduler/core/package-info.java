/**
 * The pure scheduling core: admission by queue quota, priority and weighted fair share, backfill
 * that never delays the head, all-or-nothing gang placement over zones and racks, and preemption of
 * whole gangs. No Kubernetes types, no I/O; time comes from an injected clock.
 */
package dev.kiln.scheduler.core;
