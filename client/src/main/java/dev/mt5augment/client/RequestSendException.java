package dev.mt5augment.client;

/** The producer could not write the request to Kafka (broker unreachable, topic missing, not authorised...). */
public final class RequestSendException extends AugmentClientException {

    public RequestSendException(String requestId, String topic, Throwable cause) {
        super(requestId, "request " + requestId + " could not be sent to topic " + topic + ": " + cause, cause);
    }
}
