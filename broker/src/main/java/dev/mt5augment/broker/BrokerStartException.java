package dev.mt5augment.broker;

/** The embedded broker could not be started (classpath, ports, storage format, or it never became ready). */
public class BrokerStartException extends RuntimeException {
    public BrokerStartException(String message) {
        super(message);
    }

    public BrokerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
