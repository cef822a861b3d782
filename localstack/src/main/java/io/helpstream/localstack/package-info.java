/**
 * What helpstream runs against on one machine, for the demo, the tests, the crash test and the benchmarks. This
 * package owns the throwaway environment (broker, database, Redis key prefix and scratch directory of one run, all
 * removed afterwards) and the Redis key prefix; the broker, PostgreSQL and child-process pieces have packages of
 * their own.
 */
package io.helpstream.localstack;
