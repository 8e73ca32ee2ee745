package dev.mt5augment.contracts.messaging;

/** Default topic names; a deployment may rename them in worker and client configuration. */
public final class Topics {

    /** Where producers put requests, keyed by request id. */
    public static final String REQUESTS = "augment.requests";
    /** Where workers put results, keyed by request id, unless a request names its own reply topic. */
    public static final String RESULTS = "augment.results";
    /** Where workers put requests they refuse: the original key and value bytes, with reason headers. */
    public static final String REQUESTS_DLQ = "augment.requests.dlq";

    private Topics() {
    }
}
