/**
 * The benchmarks P1-P5 (picocli, {@code Benchmarks}): helpstream in-process or as a child process against naive
 * Kafka Streams designs, each in a throwaway environment of its own. Figures and commands are in BENCHMARKS.md.
 */
package io.helpstream.bench;
