/**
 * The {@code helpstream} command (picocli): {@code run}, {@code demo} and {@code chat}.
 */
package io.helpstream.cli;
