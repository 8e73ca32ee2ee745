package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mt5augment.models.fixtures.TinyMt5;
import dev.mt5augment.models.runtime.Precision;
import dev.mt5augment.models.runtime.WeightStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.mt5augment.models.fixtures.TinyMt5.floats;
import static dev.mt5augment.models.fixtures.TinyMt5.ints2d;
import static dev.mt5augment.models.fixtures.TinyMt5.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Encoder states and decoder logits against transformers' float32 values (README tolerance 1e-4). */
class TransformerParityTest {

    static final double TOLERANCE = 1e-4;
    static TinyModel model;
    static JsonNode golden;

    @BeforeAll
    static void load() {
        model = new TinyModel("model.safetensors", Precision.FP32);
        golden = TinyMt5.golden();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void encoderLastHiddenStateMatchesIncludingPaddedPositions() {
        try (NDScope ignored = new NDScope()) {
            NDArray out = model.encode(ints2d(golden.get("input_ids")), ints2d(golden.get("attention_mask")), null);
            assertEquals(new ai.djl.ndarray.types.Shape(6, 27, 64), out.getShape());
            double diff = maxAbsDiff(floats(golden.get("encoder_last_hidden_state").get("values")), out.toFloatArray());
            assertTrue(diff < TOLERANCE, "max |diff| " + diff);
        }
    }

    @Test
    void encoderAndDecoderHiddenStatesMatchLayerByLayer() {
        try (NDScope ignored = new NDScope()) {
            List<NDArray> encoderStates = new ArrayList<>();
            int[][] mask = ints2d(golden.get("attention_mask"));
            NDArray encoded = model.encode(ints2d(golden.get("input_ids")), mask, encoderStates);
            List<NDArray> decoderStates = new ArrayList<>();
            model.decode(encoded, TinyModel.lengths(mask), ints2d(golden.get("teacher_forced").get("decoder_input_ids")),
                    decoderStates);
            JsonNode expected = golden.get("debug_hidden_states");
            assertEquals(expected.get("encoder").size(), encoderStates.size());
            assertEquals(expected.get("decoder").size(), decoderStates.size());
            for (int i = 0; i < encoderStates.size(); i++) {
                double d = maxAbsDiff(floats(expected.get("encoder").get(i)), encoderStates.get(i).toFloatArray());
                assertTrue(d < TOLERANCE, "encoder hidden state " + i + ": max |diff| " + d);
            }
            for (int i = 0; i < decoderStates.size(); i++) {
                double d = maxAbsDiff(floats(expected.get("decoder").get(i)), decoderStates.get(i).toFloatArray());
                assertTrue(d < TOLERANCE, "decoder hidden state " + i + ": max |diff| " + d);
            }
        }
    }

    @Test
    void teacherForcedLogitsAndArgmaxMatch() {
        try (NDScope ignored = new NDScope()) {
            int[][] mask = ints2d(golden.get("attention_mask"));
            NDArray encoded = model.encode(ints2d(golden.get("input_ids")), mask, null);
            JsonNode tf = golden.get("teacher_forced");
            NDArray hidden = model.decode(encoded, TinyModel.lengths(mask), ints2d(tf.get("decoder_input_ids")), null);
            NDArray logits = model.weights.lmHead().logits(hidden); // [6, 5, vocab]
            NDArray last = logits.get(new NDIndex(":, -1, :"));
            double diff = maxAbsDiff(floats(tf.get("last_position_logits")), last.toFloatArray());
            assertTrue(diff < TOLERANCE, "last-position logits max |diff| " + diff);
            assertArrayEquals(toLongs(ints2d(tf.get("argmax"))), logits.argMax(-1).toLongArray());
        }
    }

    @Test
    void longInputPastMaxDistanceMatches() {
        try (NDScope ignored = new NDScope()) {
            JsonNode li = golden.get("long_input");
            int[][] ids = ints2d(li.get("input_ids"));
            int[][] mask = {new int[ids[0].length]};
            java.util.Arrays.fill(mask[0], 1);
            NDArray encoded = model.encode(ids, mask, null);
            double encDiff = maxAbsDiff(floats(li.get("encoder_last_hidden_state").get("values")), encoded.toFloatArray());
            assertTrue(encDiff < TOLERANCE, "long input encoder max |diff| " + encDiff);
            NDArray hidden = model.decode(encoded, new int[] {ids[0].length}, ints2d(li.get("decoder_input_ids")), null);
            NDArray logits = model.weights.lmHead().logits(hidden);
            double diff = maxAbsDiff(floats(li.get("last_position_logits")), logits.get(new NDIndex(":, -1, :")).toFloatArray());
            assertTrue(diff < TOLERANCE, "long input last logits max |diff| " + diff);
            assertArrayEquals(toLongs(ints2d(li.get("argmax"))), logits.argMax(-1).toLongArray());
        }
    }

    @Test
    void mappedAndCopiedWeightsGiveBitIdenticalLogits() {
        try (TinyModel mapped = new TinyModel("model.safetensors", Precision.FP32, WeightStorage.MAP); NDScope ignored = new NDScope()) {
            int[][] mask = ints2d(golden.get("attention_mask"));
            int[][] decoderIds = ints2d(golden.get("teacher_forced").get("decoder_input_ids"));
            NDArray a = model.weights.lmHead().logits(model.decode(model.encode(ints2d(golden.get("input_ids")), mask, null),
                    TinyModel.lengths(mask), decoderIds, null));
            NDArray b = mapped.weights.lmHead().logits(mapped.decode(mapped.encode(ints2d(golden.get("input_ids")), mask, null),
                    TinyModel.lengths(mask), decoderIds, null));
            assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        }
    }

    static long[] toLongs(int[][] rows) {
        return java.util.Arrays.stream(rows).flatMapToInt(java.util.Arrays::stream).asLongStream().toArray();
    }
}
