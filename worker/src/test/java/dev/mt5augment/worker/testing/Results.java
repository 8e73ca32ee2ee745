package dev.mt5augment.worker.testing;

import dev.mt5augment.contracts.codec.DecodeOutcome;
import dev.mt5augment.contracts.codec.ResultCodec;
import dev.mt5augment.contracts.result.AugmentResult;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads reply records back with the contract's own codec. */
public final class Results {
    private static final ResultCodec CODEC = ResultCodec.withDefaults();

    private Results() {
    }

    public static AugmentResult decode(ConsumerRecord<byte[], byte[]> r) {
        DecodeOutcome<AugmentResult> d = CODEC.decode(r.value());
        if (d instanceof DecodeOutcome.Decoded<AugmentResult> ok) return ok.value();
        throw new AssertionError("reply is not a valid result: " + d + "\n" + new String(r.value(), StandardCharsets.UTF_8));
    }

    /** Replies counted per key. */
    public static Map<String, Integer> countByKey(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, Integer> m = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) m.merge(new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum);
        return m;
    }

    public static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
