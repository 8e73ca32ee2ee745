package dev.mt5augment.contracts.request;

import dev.mt5augment.contracts.error.ErrorCode;
import dev.mt5augment.contracts.error.InvalidRequestException;
import dev.mt5augment.contracts.error.Quoting;
import dev.mt5augment.contracts.messaging.TopicNames;

/** Rules that span fields; single-field ranges are in {@link RequestLimits}. */
final class RequestRules {
    private RequestRules() {
    }

    static void checkSchemaVersion(long version) {
        if (version != RequestLimits.SCHEMA_VERSION) {
            throw new InvalidRequestException(ErrorCode.UNSUPPORTED_VERSION, RequestField.SCHEMA_VERSION.wireName(),
                    "schema_version " + version + " is not supported; this worker reads version "
                            + RequestLimits.SCHEMA_VERSION);
        }
    }

    static void checkId(String id) {
        if (id == null) {
            throw new InvalidRequestException(ErrorCode.MISSING_ID, RequestField.ID.wireName(),
                    "the request has no id and the record has no key to use instead");
        }
        if (!RequestId.isValid(id)) {
            throw new InvalidRequestException(ErrorCode.SCHEMA_VIOLATION, RequestField.ID.wireName(),
                    "id must be 1 to " + RequestLimits.ID_MAX_CHARS + " characters of [A-Za-z0-9._:-], got "
                            + Quoting.quote(id));
        }
    }

    static void checkReplyTo(String replyTo) {
        if (replyTo != null && !TopicNames.isLegal(replyTo)) {
            throw new InvalidRequestException(ErrorCode.SCHEMA_VIOLATION, RequestField.REPLY_TO.wireName(),
                    "reply_to must be a Kafka topic name (1 to " + TopicNames.MAX_CHARS
                            + " characters of [A-Za-z0-9._-], not '.' or '..'), got " + Quoting.quote(replyTo));
        }
    }

    static void checkDecoding(Decoding decoding, long numReturnSequences, long numBeams) {
        RequestLimits.NUM_RETURN_SEQUENCES.check(numReturnSequences);
        RequestLimits.NUM_BEAMS.check(numBeams);
        String nrs = RequestField.NUM_RETURN_SEQUENCES.wireName();
        String beams = RequestField.NUM_BEAMS.wireName();
        switch (decoding) {
            case GREEDY -> {
                if (numReturnSequences != 1) {
                    throw new InvalidRequestException(ErrorCode.PARAM_OUT_OF_RANGE, nrs,
                            "greedy decoding returns exactly one sequence; num_return_sequences must be 1, got "
                                    + numReturnSequences);
                }
            }
            case BEAM -> {
                if (numBeams < numReturnSequences) {
                    throw new InvalidRequestException(ErrorCode.PARAM_OUT_OF_RANGE, beams,
                            "num_beams (" + numBeams + ") must be at least num_return_sequences (" + numReturnSequences + ")");
                }
                return;
            }
            case SAMPLE -> {
            }
        }
        if (numBeams != 1) {
            throw new InvalidRequestException(ErrorCode.PARAM_OUT_OF_RANGE, beams,
                    "num_beams must be 1 unless decoding is beam (decoding is " + decoding.wireName() + "), got " + numBeams);
        }
    }

    static void checkLengths(long maxLength, long minLength) {
        RequestLimits.MAX_LENGTH.check(maxLength);
        RequestLimits.MIN_LENGTH.check(minLength);
        if (minLength > maxLength) {
            throw new InvalidRequestException(ErrorCode.PARAM_OUT_OF_RANGE, RequestField.MIN_LENGTH.wireName(),
                    "min_length (" + minLength + ") must be at most max_length (" + maxLength + ")");
        }
    }
}
