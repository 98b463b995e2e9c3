/**
 * The {@code ptarena} command line (picocli): {@link org.ptarena.cli.Main} and one class per
 * subcommand. Every command prints through its {@code CommandLine}'s writers, so tests run it
 * in-process with captured output, and returns an exit status from {@link org.ptarena.cli.Exit}.
 */
package org.ptarena.cli;
