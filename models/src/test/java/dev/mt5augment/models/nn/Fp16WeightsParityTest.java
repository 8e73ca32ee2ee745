package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mt5augment.models.fixtures.TinyMt5;
import dev.mt5augment.models.runtime.Precision;
import org.junit.jupiter.api.Test;

import static dev.mt5augment.models.fixtures.TinyMt5.floats;
import static dev.mt5augment.models.fixtures.TinyMt5.ints2d;
import static dev.mt5augment.models.fixtures.TinyMt5.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * model.fp16.safetensors widened to float32 and computed in float32 matches transformers' values for
 * the same weights (fp16_weights in golden.json), and float16 computation stays near float32.
 */
class Fp16WeightsParityTest {

    @Test
    void fp16WeightsComputedInFloat32MatchWithin1e4() {
        JsonNode golden = TinyMt5.golden();
        JsonNode expected = golden.get("fp16_weights");
        try (TinyModel model = new TinyModel("model.fp16.safetensors", Precision.FP32); NDScope ignored = new NDScope()) {
            int[][] mask = ints2d(golden.get("attention_mask"));
            NDArray encoded = model.encode(ints2d(golden.get("input_ids")), mask, null);
            double enc = maxAbsDiff(floats(expected.get("encoder_last_hidden_state").get("values")), encoded.toFloatArray());
            assertTrue(enc < 1e-4, "encoder max |diff| " + enc);
            NDArray hidden = model.decode(encoded, TinyModel.lengths(mask),
                    ints2d(golden.get("teacher_forced").get("decoder_input_ids")), null);
            NDArray logits = model.weights.lmHead().logits(hidden).get(new NDIndex(":, -1, :"));
            double d = maxAbsDiff(floats(expected.get("last_position_logits")), logits.toFloatArray());
            assertTrue(d < 1e-4, "last logits max |diff| " + d);
        }
    }

    @Test
    void float16ComputationStaysCloseToFloat32() {
        // The FP16 path (float16 products, float32 norms/softmax/wo/residual) runs on the CPU too; it
        // cannot meet 1e-4, so compare with a loose bound relative to the logits' scale.
        JsonNode golden = TinyMt5.golden();
        try (TinyModel model = new TinyModel("model.safetensors", Precision.FP16); NDScope ignored = new NDScope()) {
            int[][] mask = ints2d(golden.get("attention_mask"));
            NDArray encoded = model.encode(ints2d(golden.get("input_ids")), mask, null);
            NDArray hidden = model.decode(encoded, TinyModel.lengths(mask),
                    ints2d(golden.get("teacher_forced").get("decoder_input_ids")), null);
            NDArray logits = model.weights.lmHead().logits(hidden).get(new NDIndex(":, -1, :"));
            float[] expected = floats(golden.get("teacher_forced").get("last_position_logits"));
            double scale = 0;
            for (float v : expected) scale = Math.max(scale, Math.abs(v));
            double d = maxAbsDiff(expected, logits.toFloatArray());
            assertTrue(d < 1e-2 * scale, "float16 last logits max |diff| " + d + " vs scale " + scale);
        }
    }
}
