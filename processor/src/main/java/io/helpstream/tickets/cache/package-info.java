/**
 * The Redis cache of look-ups: the {@code LookupCache} port, its Lettuce adapter, and the cache-aside
 * {@code CachingSupportRepository} decorator that evicts on every ticket write. helpstream works without it.
 */
package io.helpstream.tickets.cache;
