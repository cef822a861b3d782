/**
 * The PostgreSQL adapter of the support repository: Jdbi SQL objects (one DAO per table, SQL next to its method),
 * row mappers, the HikariCP pool and Flyway migrations ({@code resources/db/migration}).
 */
package io.helpstream.tickets.postgres;
