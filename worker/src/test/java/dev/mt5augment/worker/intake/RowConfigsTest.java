package dev.mt5augment.worker.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mt5augment.contracts.request.AugmentRequest;
import dev.mt5augment.contracts.request.Decoding;
import dev.mt5augment.models.generation.DecodingStrategy;
import dev.mt5augment.models.generation.GenerationConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowConfigsTest {
    @Test
    void samplingCarriesEveryParameterAndASeedPerText() {
        AugmentRequest r = AugmentRequest.builder().id("a1").texts(List.of("一", "一")).numReturnSequences(4)
                .temperature(0.7).topP(0.9).topK(20).maxLength(30).minLength(2).repetitionPenalty(1.2)
                .noRepeatNgramSize(3).seed(42L).build();
        List<GenerationConfig> rows = RowConfigs.of(r);
        assertEquals(2, rows.size());
        GenerationConfig c = rows.get(0);
        assertEquals(DecodingStrategy.SAMPLE, c.strategy());
        assertEquals(4, c.numReturnSequences());
        assertEquals(0.7f, c.temperature());
        assertEquals(0.9f, c.topP());
        assertEquals(20, c.topK());
        assertEquals(30, c.maxNewTokens());
        assertEquals(2, c.minNewTokens());
        assertEquals(1.2f, c.repetitionPenalty());
        assertEquals(3, c.noRepeatNgramSize());
        assertEquals(42L, c.seed());
        assertNotEquals(rows.get(0).seed(), rows.get(1).seed(), "equal texts still get their own variants");
        assertEquals(4, dev.mt5augment.worker.intake.WorkItem.decoderRows(c));
    }

    @Test
    void withoutASeedTheIdDecidesSoARedeliveryGeneratesTheSame() {
        AugmentRequest a = AugmentRequest.builder().id("same-id").text("x").build();
        AugmentRequest b = AugmentRequest.builder().id("same-id").text("x").build();
        AugmentRequest c = AugmentRequest.builder().id("other-id").text("x").build();
        assertEquals(RowConfigs.of(a).get(0).seed(), RowConfigs.of(b).get(0).seed());
        assertNotEquals(RowConfigs.of(a).get(0).seed(), RowConfigs.of(c).get(0).seed());
    }

    @Test
    void greedyAndBeam() {
        GenerationConfig g = RowConfigs.of(AugmentRequest.builder().id("g").text("x").decoding(Decoding.GREEDY)
                .numReturnSequences(1).build()).get(0);
        assertEquals(DecodingStrategy.GREEDY, g.strategy());
        assertEquals(1, g.numReturnSequences());
        GenerationConfig b = RowConfigs.of(AugmentRequest.builder().id("b").text("x").decoding(Decoding.BEAM)
                .numBeams(6).numReturnSequences(3).build()).get(0);
        assertEquals(DecodingStrategy.BEAM, b.strategy());
        assertEquals(6, b.numBeams());
        assertEquals(3, b.numReturnSequences());
        assertEquals(6, WorkItem.decoderRows(b), "beam search runs all its beams");
    }

    @Test
    void tinyButValidValuesStayValid() {
        GenerationConfig c = RowConfigs.of(AugmentRequest.builder().id("t").text("x").temperature(1e-300).topP(1e-300).build()).get(0);
        assertTrue(c.temperature() > 0f);
        assertTrue(c.topP() > 0f);
    }
}
