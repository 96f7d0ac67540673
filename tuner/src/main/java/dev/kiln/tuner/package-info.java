/** Kiln tuner. */
package dev.kiln.tuner;
