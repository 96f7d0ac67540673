/**
 * kiln-scheduler on Kubernetes: groups {@code schedulerName: kiln-scheduler} pods into gangs,
 * reserves and binds whole gangs through the Binding API, rolls back failed gangs, and runs only on
 * the replica holding the Lease.
 */
package dev.kiln.scheduler.k8s;
