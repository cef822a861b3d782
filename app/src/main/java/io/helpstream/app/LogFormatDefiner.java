package io.helpstream.app;

import ch.qos.logback.core.PropertyDefinerBase;
import io.helpstream.config.LogSettings;

/**
 * Names the appender of {@code logback.xml} for the {@code HELPSTREAM_LOG_FORMAT} it is given ({@code text} or
 * {@code json}, any case). An unknown format logs as text until the configuration refuses it at start-up.
 */
public final class LogFormatDefiner extends PropertyDefinerBase {

    private String format;

    public void setFormat(String format) {
        this.format = format;
    }

    @Override
    public String getPropertyValue() {
        try {
            return LogSettings.Format.of(format).appender();
        } catch (IllegalArgumentException e) {
            return LogSettings.Format.TEXT.appender();
        }
    }
}
