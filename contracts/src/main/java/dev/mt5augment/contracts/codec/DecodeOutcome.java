package dev.mt5augment.contracts.codec;

import dev.mt5augment.contracts.error.ContractError;

import java.util.Objects;

/**
 * What decoding a record gives: the value, or the typed reason it was refused. Decoders return one
 * of these for every input and never throw.
 *
 * @param <T> the decoded type
 */
public sealed interface DecodeOutcome<T> permits DecodeOutcome.Decoded, DecodeOutcome.Rejected {

    /** The record decoded into a valid value. */
    record Decoded<T>(T value) implements DecodeOutcome<T> {
        public Decoded {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * The record was refused.
     *
     * @param error             why
     * @param idIfReadable      the request id to address an error reply to, read on a best-effort basis: the
     *                          payload's top-level {@code id} when it is a valid id, else the record key when that
     *                          is one; {@code null} when neither
     * @param replyToIfReadable the payload's {@code reply_to} when it is a legal topic name the decoder allows;
     *                          {@code null} otherwise (reply on the default topic)
     */
    record Rejected<T>(ContractError error, String idIfReadable, String replyToIfReadable) implements DecodeOutcome<T> {
        public Rejected {
            Objects.requireNonNull(error, "error");
        }

        public Rejected(ContractError error, String idIfReadable) {
            this(error, idIfReadable, null);
        }
    }
}
