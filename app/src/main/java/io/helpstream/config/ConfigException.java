package io.helpstream.config;

/** A configuration value that cannot be used; the message names the setting. Start-up stops with it. */
public class ConfigException extends RuntimeException {
    public ConfigException(String setting, String problem) {
        super(setting + ": " + problem);
    }
}
