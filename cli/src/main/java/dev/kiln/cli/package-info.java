/** Kiln cli. */
package dev.kiln.cli;
