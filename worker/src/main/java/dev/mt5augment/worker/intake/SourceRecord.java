package dev.mt5augment.worker.intake;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The consumed request record as it arrived: what a reply needs (the correlation id) and what a
 * dead letter must carry untouched (key and value bytes, headers, coordinates).
 */
public record SourceRecord(String topic, int partition, long offset, long timestamp,
                           byte[] key, byte[] value, Headers headers) {

    public static SourceRecord of(ConsumerRecord<byte[], byte[]> r) {
        return new SourceRecord(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value(), r.headers());
    }

    /** The last value of a header as UTF-8 text, or {@code null}. */
    public String header(String name) {
        Header h = headers == null ? null : headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The raw bytes of a header, or {@code null} (copied unchanged onto replies). */
    public byte[] headerBytes(String name) {
        Header h = headers == null ? null : headers.lastHeader(name);
        return h == null ? null : h.value();
    }

    /** The key as UTF-8 text when it is valid UTF-8, else {@code null}. */
    public String keyText() {
        if (key == null) return null;
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return decoder.decode(java.nio.ByteBuffer.wrap(key)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    public String coordinates() {
        return topic + "-" + partition + "@" + offset;
    }
}
