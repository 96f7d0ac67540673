/** {@code kiln bench}: runs a module's benchmark main in a child JVM. */
package dev.kiln.cli.bench;
