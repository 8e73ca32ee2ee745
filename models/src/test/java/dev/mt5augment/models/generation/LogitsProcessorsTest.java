package dev.mt5augment.models.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mt5augment.models.runtime.TorchRuntime;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogitsProcessorsTest {

    static DecodingRow row(GenerationConfig c, int... generated) {
        DecodingRow r = new DecodingRow(0, 0, c, 0, 32);
        for (int t : generated) r.append(t);
        return r;
    }

    @Test
    void repetitionPenaltyDividesPositiveMultipliesNegativeIncludingTheStartToken() {
        TorchRuntime.start(0);
        GenerationConfig penalised = GenerationConfig.builder().repetitionPenalty(2f).build();
        GenerationConfig plain = GenerationConfig.builder().build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray scores = m.create(new float[] {4f, -3f, 2f, -1f, 5f, 6f, 7f, 8f}, new Shape(2, 4));
            // row 0 has seen 0 (start), 1, 3 and 1 again; row 1 has no penalty
            List<DecodingRow> rows = List.of(row(penalised, 1, 3, 1), row(plain, 1, 2));
            LogitsProcessors.apply(scores, rows, 1);
            assertArrayEquals(new float[] {2f, -6f, 2f, -2f, 5f, 6f, 7f, 8f}, scores.toFloatArray());
        }
    }

    @Test
    void bansRepeatedTrigramsAndEosBeforeMinNewTokensButSkipsFinishedRows() {
        TorchRuntime.start(0);
        GenerationConfig c = GenerationConfig.builder().noRepeatNgramSize(3).minNewTokens(5).maxNewTokens(10).build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray scores = m.zeros(new Shape(2, 8));
            // sequence 0 5 6 7 5 6: the prefix "5 6" was followed by 7, so 7 is banned; 4 generated < 5 bans </s> (1)
            DecodingRow live = row(c, 5, 6, 7, 5, 6);
            DecodingRow finished = row(c, 5, 6, 7, 5, 6);
            finished.finished = true;
            LogitsProcessors.apply(scores, List.of(live, finished), 1);
            float[] s = scores.toFloatArray();
            float ninf = Float.NEGATIVE_INFINITY;
            assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 0, ninf, 0, 0, 0, 0, 0, 0, 0, 0}, s,
                    "five generated tokens reach min_new_tokens=5, so </s> stays; 7 is banned; the finished row is untouched");
        }
    }

    @Test
    void noRepeatNgramMatchesTransformersDefinition() {
        GenerationConfig c = GenerationConfig.builder().build();
        assertEquals(List.of(), NoRepeatNgram.bannedTokens(row(c), 3), "too short for a trigram");
        assertEquals(List.of(), NoRepeatNgram.bannedTokens(row(c, 9, 0), 3), "prefix 9 0 never seen before");
        assertEquals(List.of(0), NoRepeatNgram.bannedTokens(row(c, 9, 0, 9), 3), "start token counts: 0 9 0 ... 0 9 -> 0");
        assertEquals(List.of(4, 7), NoRepeatNgram.bannedTokens(row(c, 2, 4, 2, 7, 2), 2));
        assertEquals(List.of(0, 2, 4, 2), NoRepeatNgram.bannedTokens(row(c, 2, 4, 2), 1));
        assertEquals(List.of(), NoRepeatNgram.bannedTokens(row(c, 2, 4, 2), 0));
    }

    @Test
    void minNewTokensCountsGeneratedTokensOnly() {
        GenerationConfig c = GenerationConfig.builder().minNewTokens(2).build();
        assertTrue(MinNewTokens.bansEos(row(c)));
        assertTrue(MinNewTokens.bansEos(row(c, 5)));
        assertFalse(MinNewTokens.bansEos(row(c, 5, 6)));
    }
}
