/**
 * The {@code kiln} command line: the root command, subcommand discovery ({@link
 * dev.kiln.cli.KilnSubcommand}), errors and exit codes, and the local-mode address file.
 */
package dev.kiln.cli;
