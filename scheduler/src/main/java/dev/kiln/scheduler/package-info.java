/** Kiln scheduler. */
package dev.kiln.scheduler;
