package dev.mt5augment.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.mt5augment.client.AugmentClient;
import dev.mt5augment.client.AugmentTimeoutException;
import dev.mt5augment.client.ClientClosedException;
import dev.mt5augment.client.DuplicateRequestIdException;
import dev.mt5augment.client.InFlightLimitException;
import dev.mt5augment.client.RequestSendException;
import dev.mt5augment.client.UnreadableReplyException;
import dev.mt5augment.contracts.codec.DecodeOutcome;
import dev.mt5augment.contracts.codec.RequestDecoder;
import dev.mt5augment.contracts.error.ContractError;
import dev.mt5augment.contracts.error.ErrorCode;
import dev.mt5augment.contracts.request.AugmentRequest;
import dev.mt5augment.contracts.result.AugmentResult;
import dev.mt5augment.contracts.result.ResultError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * {@code POST /augment} ({@code {"text": ...}}) and {@code POST /augment_batch}
 * ({@code {"texts": [...]}}): the seed's API. The body is a v1 request (every field of the contract,
 * {@code id} optional: the gateway makes one), checked by the same {@link RequestDecoder} the
 * workers run, then sent through {@link AugmentClient}. The answer is
 * {@code {"augmented_texts": [...]}} (every variant, flat, in input order) plus {@code id},
 * {@code task}, {@code results} and {@code model}; an error is {@code {"error": {...}}} with a status:
 * 400 for a contract error, 413 for a body over the limit, 415 for a body that is not JSON, 504
 * {@code DEADLINE_EXCEEDED} when no worker answers within the timeout, 503 when overloaded.
 *
 * <p>{@code reply_to} is refused ({@code REPLY_TOPIC_NOT_ALLOWED}): the gateway must read the
 * answer. The request's {@code deadline_ms} is capped at the gateway's timeout (and set to it when
 * absent), so workers skip requests nobody waits for any more.
 *
 * <p>Threading: {@link #handle} runs on the server's bounded executor and never waits for a
 * worker: it sends the request and returns; the response is written on {@code responders} when
 * the result (or the timeout) comes.
 */
final class AugmentEndpoint implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(AugmentEndpoint.class);

    /** Most bytes of a too-large body read and dropped after the 413, so that the client can read it. */
    static final long MAX_DRAINED_BYTES = 16L << 20;

    /** Which seed endpoint, and the field it takes. */
    enum Kind {
        SINGLE("/augment", "text", "texts", "/augment_batch"),
        BATCH("/augment_batch", "texts", "text", "/augment");

        final String path;
        final String field;
        final String otherField;
        final String otherPath;

        Kind(String path, String field, String otherField, String otherPath) {
            this.path = path;
            this.field = field;
            this.otherField = otherField;
            this.otherPath = otherPath;
        }
    }

    private final Kind kind;
    private final AugmentClient client;
    private final RequestDecoder decoder;
    private final Duration timeout;
    private final Executor responders;

    AugmentEndpoint(Kind kind, AugmentClient client, RequestDecoder decoder, Duration timeout, Executor responders) {
        this.kind = kind;
        this.client = client;
        this.decoder = decoder;
        this.timeout = timeout;
        this.responders = responders;
    }

    @Override
    public void handle(HttpExchange ex) {
        if (!ex.getRequestMethod().equals("POST")) {
            ex.getResponseHeaders().set("Allow", "POST");
            JsonReplies.sendError(ex, GatewayError.METHOD_NOT_ALLOWED, ex.getRequestMethod() + " " + kind.path
                    + " is not supported; send POST with a JSON body");
            return;
        }
        String notJson = RequestBody.notJson(ex);
        if (notJson != null) {
            JsonReplies.sendError(ex, GatewayError.UNSUPPORTED_MEDIA_TYPE, notJson);
            return;
        }
        byte[] body;
        try {
            body = RequestBody.read(ex, decoder.maxRecordBytes());
        } catch (RequestBody.TooLargeException e) {
            JsonReplies.sendErrorThenDrain(ex, 413, ErrorCode.RECORD_TOO_LARGE.name(), e.getMessage(), MAX_DRAINED_BYTES);
            return;
        } catch (IOException e) {
            // Truncated body, connection reset: nobody may be there to read an answer, but try.
            ex.getResponseHeaders().set("Connection", "close");
            JsonReplies.sendError(ex, 400, ErrorCode.MALFORMED_JSON.name(), "the body could not be read: " + e.getMessage(), null, null);
            return;
        }
        AugmentRequest request = decode(ex, body);
        if (request == null) return;
        client.submit(request, timeout).whenCompleteAsync((result, failure) -> {
            if (failure == null) answer(ex, result);
            else fail(ex, request.id(), failure instanceof CompletionException ? failure.getCause() : failure);
        }, responders);
    }

    /** The request to send, or {@code null} after answering with why not. */
    private AugmentRequest decode(HttpExchange ex, byte[] body) {
        DecodeOutcome<AugmentRequest> outcome = decoder.decode(body, client.newRequestId());
        if (outcome instanceof DecodeOutcome.Rejected<AugmentRequest> rejected) {
            ContractError e = rejected.error();
            // The id is the payload's when it could be read, else the one the gateway made for this request.
            JsonReplies.sendError(ex, ErrorStatus.of(e.code().name()), e.code().name(), e.message(), e.field(),
                    rejected.idIfReadable());
            return null;
        }
        AugmentRequest request = ((DecodeOutcome.Decoded<AugmentRequest>) outcome).value();
        Set<String> fields;
        try {
            fields = TopLevelFields.of(body);
        } catch (IOException e) {
            JsonReplies.sendError(ex, GatewayError.INTERNAL, "a decoded body could not be read again: " + e.getMessage());
            return null;
        }
        if (fields.contains(kind.otherField)) {
            JsonReplies.sendError(ex, 400, ErrorCode.SCHEMA_VIOLATION.name(), "POST " + kind.path + " takes '" + kind.field
                    + "'; send '" + kind.otherField + "' to " + kind.otherPath, kind.otherField, request.id());
            return null;
        }
        long cap = timeout.toMillis();
        if (request.deadlineMs() == null || request.deadlineMs() > cap) {
            request = request.toBuilder().deadlineMs(cap).build();
        }
        return request;
    }

    private static void answer(HttpExchange ex, AugmentResult result) {
        if (result.isOk()) {
            JsonReplies.send(ex, 200, JsonReplies.JSON_TYPE, JsonReplies.ok(result));
        } else {
            ResultError e = result.error();
            JsonReplies.sendError(ex, ErrorStatus.of(e.code()), e.code(), e.message(), e.field(), result.id());
        }
    }

    private static void fail(HttpExchange ex, String id, Throwable failure) {
        if (failure instanceof AugmentTimeoutException t) {
            JsonReplies.sendError(ex, 504, ErrorCode.DEADLINE_EXCEEDED.name(), "no worker answered within "
                    + t.timeout().toMillis() + " ms", null, id);
        } else if (failure instanceof InFlightLimitException) {
            ex.getResponseHeaders().set("Retry-After", "1");
            JsonReplies.sendError(ex, 503, GatewayError.OVERLOADED.name(), "too many requests are waiting for workers; retry shortly", null, id);
        } else if (failure instanceof DuplicateRequestIdException) {
            JsonReplies.sendError(ex, 409, GatewayError.DUPLICATE_ID.name(), failure.getMessage(), "id", id);
        } else if (failure instanceof RequestSendException) {
            JsonReplies.sendError(ex, 503, GatewayError.UNAVAILABLE.name(), "Kafka did not take the request: "
                    + failure.getCause(), null, id);
        } else if (failure instanceof ClientClosedException) {
            JsonReplies.sendError(ex, 503, ErrorCode.SHUTTING_DOWN.name(), failure.getMessage(), null, id);
        } else if (failure instanceof UnreadableReplyException) {
            JsonReplies.sendError(ex, 502, GatewayError.REPLY_UNREADABLE.name(), failure.getMessage(), null, id);
        } else {
            log.error("request {} failed unexpectedly", id, failure);
            JsonReplies.sendError(ex, 500, GatewayError.INTERNAL.name(), String.valueOf(failure), null, id);
        }
    }
}
