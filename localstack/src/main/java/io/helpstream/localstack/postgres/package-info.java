/**
 * Finding PostgreSQL: {@code DATABASE_URL} parsed and taken apart, the configured, local or embedded server located,
 * and throwaway databases of their own created on it and dropped afterwards.
 */
package io.helpstream.localstack.postgres;
