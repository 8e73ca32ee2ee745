package dev.mt5augment.models.config;

/** config.json is missing, unreadable, or describes a model this engine does not run. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
