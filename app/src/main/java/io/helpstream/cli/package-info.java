/**
 * The {@code helpstream} command (picocli): {@code run}, {@code demo} and {@code chat}; for operators of a running
 * deployment {@code dlq} and {@code forget}.
 */
package io.helpstream.cli;
