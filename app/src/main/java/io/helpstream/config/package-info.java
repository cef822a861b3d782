/**
 * Configuration read from environment variables, once, into one typed and checked
 * {@link io.helpstream.config.HelpstreamConfig}; a bad value stops start-up with a message naming the variable.
 * Defaults belong to the settings types of the modules that own them.
 */
package io.helpstream.config;
