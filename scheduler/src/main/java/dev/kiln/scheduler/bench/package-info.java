/**
 * {@code kiln bench scheduler}: a simulated cluster and gang stream through the core and through a
 * naive per-pod placer, audited by an independent checker of the bind logs.
 */
package dev.kiln.scheduler.bench;
