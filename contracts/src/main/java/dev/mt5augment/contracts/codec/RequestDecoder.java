package dev.mt5augment.contracts.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.mt5augment.contracts.error.ContractError;
import dev.mt5augment.contracts.error.ErrorCode;
import dev.mt5augment.contracts.error.InvalidRequestException;
import dev.mt5augment.contracts.error.Quoting;
import dev.mt5augment.contracts.request.AugmentRequest;
import dev.mt5augment.contracts.request.RequestField;

import java.io.IOException;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Decodes a request record's value into a normalised {@link AugmentRequest}, or a typed refusal.
 * It never throws, and its cost is bounded by the byte limit and {@link ReaderLimits}.
 *
 * <p>The checks, in order (the first failure is the one reported):
 * <ol>
 *   <li>size: more than {@link Builder#maxRecordBytes(int)} bytes → {@code RECORD_TOO_LARGE}
 *       (nothing else is read);</li>
 *   <li>bytes: strict UTF-8, one leading BOM skipped → {@code NOT_UTF8};</li>
 *   <li>syntax: exactly one JSON value; NaN, Infinity, comments, trailing data → {@code MALFORMED_JSON};
 *       reader limits → {@code SCHEMA_VIOLATION};</li>
 *   <li>{@code schema_version} other than 1 → {@code UNSUPPORTED_VERSION};</li>
 *   <li>shape, in document order: not an object, unknown or repeated field, wrong JSON type →
 *       {@code SCHEMA_VIOLATION};</li>
 *   <li>values: id, texts, task, labels, decoding, the numeric ranges, reply_to, then the
 *       cross-field rules (greedy and beam against the sequence count, min against max length);</li>
 *   <li>{@code reply_to} refused by {@link Builder#replyTopicAllowed(Predicate)} →
 *       {@code REPLY_TOPIC_NOT_ALLOWED}.</li>
 * </ol>
 *
 * <p>Immutable and thread-safe: one instance can serve every consumer thread.
 */
public final class RequestDecoder {

    /** 1 MiB: a full request of 256 texts × 512 CJK characters is about 400 KiB. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;

    private final int maxRecordBytes;
    private final Predicate<String> replyTopicAllowed;
    private final JsonFactory syntaxFactory;
    private final JsonFactory fieldFactory;
    private final JsonFactory salvageFactory;

    private RequestDecoder(Builder b) {
        this.maxRecordBytes = b.maxRecordBytes;
        this.replyTopicAllowed = b.replyTopicAllowed;
        this.syntaxFactory = ReaderLimits.factory(maxRecordBytes, false);
        this.fieldFactory = ReaderLimits.factory(maxRecordBytes, true);
        this.salvageFactory = syntaxFactory;
    }

    /** A decoder with the defaults: 1 MiB records, every reply topic allowed. */
    public static RequestDecoder withDefaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /**
     * Decodes one record.
     *
     * @param value          the record value; {@code null} (a tombstone) is refused as empty
     * @param recordKeyOrNull the record key as UTF-8 text; the id when the payload has none
     */
    public DecodeOutcome<AugmentRequest> decode(byte[] value, String recordKeyOrNull) {
        try {
            return decodeChecked(value, recordKeyOrNull);
        } catch (RuntimeException e) {
            // A bug, not a verdict on the input; still an answer rather than a crashed consumer.
            return new DecodeOutcome.Rejected<>(ContractError.of(ErrorCode.SCHEMA_VIOLATION,
                    "the request could not be checked: " + e), ReplyAddress.fromKey(recordKeyOrNull).id());
        }
    }

    private DecodeOutcome<AugmentRequest> decodeChecked(byte[] value, String recordKey) {
        if (value == null || value.length == 0) {
            return rejected(ContractError.of(ErrorCode.MALFORMED_JSON, "the record has no value"), ReplyAddress.fromKey(recordKey));
        }
        if (value.length > maxRecordBytes) {
            return rejected(ContractError.of(ErrorCode.RECORD_TOO_LARGE, "the record has " + value.length
                    + " bytes; at most " + maxRecordBytes + " are accepted"), ReplyAddress.fromKey(recordKey));
        }
        String text;
        try {
            text = StrictUtf8.decode(value);
        } catch (InvalidRequestException e) {
            return rejected(e.error(), salvage(StrictUtf8.decodeLossy(value), recordKey));
        }
        try {
            JsonToken root = JsonSyntax.check(syntaxFactory, text);
            if (root != JsonToken.START_OBJECT) {
                throw new InvalidRequestException(ErrorCode.SCHEMA_VIOLATION, null,
                        "the request must be a JSON object, got " + RequestReader.describe(root));
            }
            AugmentRequest.Builder builder = AugmentRequest.builder().recordKey(recordKey);
            try (JsonParser p = fieldFactory.createParser(text)) {
                RequestReader.read(p, builder);
            } catch (IOException e) {
                throw new InvalidRequestException(ErrorCode.MALFORMED_JSON, null, "the record could not be read: " + e.getMessage());
            }
            AugmentRequest request = builder.build();
            if (request.replyTo() != null && !allowed(request.replyTo())) {
                return rejected(ContractError.of(ErrorCode.REPLY_TOPIC_NOT_ALLOWED, RequestField.REPLY_TO.wireName(),
                        "this worker does not reply on topic " + Quoting.quote(request.replyTo())),
                        new ReplyAddress(request.id(), null));
            }
            return new DecodeOutcome.Decoded<>(request);
        } catch (InvalidRequestException e) {
            return rejected(e.error(), salvage(text, recordKey));
        }
    }

    private boolean allowed(String topic) {
        try {
            return replyTopicAllowed.test(topic);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private ReplyAddress salvage(String text, String recordKey) {
        return ReplyAddress.salvage(salvageFactory, text, recordKey, replyTopicAllowed);
    }

    private static DecodeOutcome<AugmentRequest> rejected(ContractError error, ReplyAddress address) {
        return new DecodeOutcome.Rejected<>(error, address.id(), address.replyTo());
    }

    /** Settings with documented defaults. */
    public static final class Builder {
        private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
        private Predicate<String> replyTopicAllowed = topic -> true;

        private Builder() {
        }

        /** Largest record value accepted, in bytes (default {@value RequestDecoder#DEFAULT_MAX_RECORD_BYTES}). */
        public Builder maxRecordBytes(int bytes) {
            if (bytes < 64) throw new IllegalArgumentException("maxRecordBytes must be at least 64, got " + bytes);
            this.maxRecordBytes = bytes;
            return this;
        }

        /**
         * Which {@code reply_to} topics requests may name (default: every legal topic name). A request
         * naming another gets {@code REPLY_TOPIC_NOT_ALLOWED}. Called from consumer threads; must be
         * thread-safe.
         */
        public Builder replyTopicAllowed(Predicate<String> policy) {
            this.replyTopicAllowed = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public RequestDecoder build() {
            return new RequestDecoder(this);
        }
    }
}
