package dev.mt5augment.models.nn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mt5augment.models.config.Mt5Config;
import dev.mt5augment.models.fixtures.TinyMt5;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RelativePositionBiasTest {

    @Test
    void bucketsEqualTransformersForEveryRelativePositionFromMinus600To600() {
        Mt5Config c = TinyMt5.config();
        JsonNode golden = TinyMt5.golden().get("relative_position_buckets");
        int[] encoder = TinyMt5.ints(golden.get("encoder_bidirectional"));
        int[] decoder = TinyMt5.ints(golden.get("decoder_causal"));
        assertEquals(1201, encoder.length);
        for (int i = 0; i < encoder.length; i++) {
            int rp = i - 600;
            assertEquals(encoder[i], RelativePositionBias.bucket(rp, true, c.relativeAttentionNumBuckets(),
                    c.relativeAttentionMaxDistance()), "encoder bucket of " + rp);
            assertEquals(decoder[i], RelativePositionBias.bucket(rp, false, c.relativeAttentionNumBuckets(),
                    c.relativeAttentionMaxDistance()), "decoder bucket of " + rp);
        }
    }
}
