/** Kiln worker. */
package dev.kiln.worker;
