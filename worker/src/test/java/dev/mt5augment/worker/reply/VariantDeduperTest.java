package dev.mt5augment.worker.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class VariantDeduperTest {
    @Test
    void dropsRepeatsAndCopiesOfTheInputKeepingOrder() {
        VariantDeduper.Deduped d = VariantDeduper.dedupe(" 今天天气很好 ",
                List.of("今天天气不错", "今天天气很好", "今天天气不错 ", "天气晴朗", "", ""));
        assertEquals(List.of("今天天气不错", "天气晴朗", ""), d.kept());
        assertEquals(3, d.removed());
    }

    @Test
    void nothingToDrop() {
        VariantDeduper.Deduped d = VariantDeduper.dedupe("a", List.of("b", "c"));
        assertEquals(List.of("b", "c"), d.kept());
        assertEquals(0, d.removed());
    }
}
