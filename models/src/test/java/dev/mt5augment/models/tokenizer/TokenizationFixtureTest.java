package dev.mt5augment.models.tokenizer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every case of tokenization.json, through the fixture's tokenizer.json and through spiece.model
 * converted in memory: ids exact, decoded text as SentencePiece's with {@code <unk>} removed.
 */
class TokenizationFixtureTest {

    /** SentencePiece prints {@code <unk>} as U+2047 with a space each side; DJL drops it. */
    private static final String SENTENCEPIECE_UNK = " \u2047 ";

    private static HuggingFaceTextTokenizer fromJson;
    private static HuggingFaceTextTokenizer fromSpiece;

    @BeforeAll
    static void load() {
        fromJson = Tokenizers.load(TinyMt5Fixture.dir());
        fromSpiece = Tokenizers.load(TinyMt5Fixture.spieceModel());
    }

    @AfterAll
    static void close() {
        fromJson.close();
        fromSpiece.close();
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (TinyMt5Fixture.Case c : TinyMt5Fixture.cases()) {
            out.add(Arguments.of("tokenizer.json", c));
            out.add(Arguments.of("spiece.model", c));
        }
        return out.stream();
    }

    private static HuggingFaceTextTokenizer tokenizer(String source) {
        return source.equals("tokenizer.json") ? fromJson : fromSpiece;
    }

    @Test
    void loadsTheFileItWasGiven() {
        assertEquals(TinyMt5Fixture.tokenizerJson().toString(), fromJson.source());
        assertEquals(TinyMt5Fixture.spieceModel().toString(), fromSpiece.source());
        assertEquals(1400, fromJson.pieceCount());
        assertEquals(1400, fromSpiece.pieceCount());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void idsEqualSentencePieceWithEos(String source, TinyMt5Fixture.Case c) {
        assertArrayEquals(c.idsWithEos(), tokenizer(source).encode(c.text()), "text: " + c.text());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void detokenizedEqualsSentencePieceWithoutUnk(String source, TinyMt5Fixture.Case c) {
        // With <unk> removed on both sides the texts agree (README). Removing " ⁇ " from
        // SentencePiece's text is that, including case 15, where it leaves the " " DJL gives.
        String expected = c.decoded().replace(SENTENCEPIECE_UNK, "");
        assertEquals(expected, tokenizer(source).detokenize(c.idsWithEos()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void decodeAppliesModelScopePostProcessing(String source, TinyMt5Fixture.Case c) {
        String detokenized = c.decoded().replace(SENTENCEPIECE_UNK, "");
        String expected = ChineseSpacing.removeSpacesBetweenChineseWords(TokenizationSpaceCleanup.apply(detokenized));
        assertEquals(expected, tokenizer(source).decode(c.idsWithEos()));
    }

    @Test
    void case15OnlyUnknownsAndSpacesDecodesToNothing() {
        TinyMt5Fixture.Case c = TinyMt5Fixture.cases().get(15);
        assertEquals("ｶﾀｶﾅ ﾃｽﾄ", c.text());
        // DJL leaves " " where SentencePiece without <unk> gives "" (README); ModelScope's strip removes it.
        assertEquals(" ", fromJson.detokenize(c.idsWithEos()));
        assertEquals("", fromJson.decode(c.idsWithEos()));
    }

    @Test
    void chineseSpacesAreRemovedOnDecode() {
        TinyMt5Fixture.Case newline = TinyMt5Fixture.cases().get(8); // 第一行\n第二行
        assertEquals("第一行 第二行", fromJson.detokenize(newline.idsWithEos()));
        assertEquals("第一行第二行", fromJson.decode(newline.idsWithEos()));
        TinyMt5Fixture.Case spaces = TinyMt5Fixture.cases().get(12); // 多个    空格   之间
        assertEquals("多个空格之间", fromSpiece.decode(spaces.idsWithEos()));
        TinyMt5Fixture.Case english = TinyMt5Fixture.cases().get(3);
        assertEquals("Hello World", fromSpiece.decode(english.idsWithEos()));
    }

    @Test
    void batchEncodeEqualsOneByOne() {
        List<String> texts = TinyMt5Fixture.cases().stream().map(TinyMt5Fixture.Case::text).toList();
        for (HuggingFaceTextTokenizer t : List.of(fromJson, fromSpiece)) {
            List<int[]> batch = t.encode(texts);
            assertEquals(texts.size(), batch.size());
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(TinyMt5Fixture.cases().get(i).idsWithEos(), batch.get(i), "case " + i);
            }
            List<int[]> ids = batch;
            List<String> decoded = t.decode(ids);
            for (int i = 0; i < texts.size(); i++) assertEquals(t.decode(ids.get(i)), decoded.get(i));
        }
        assertEquals(List.of(), fromJson.encode(List.of()));
    }
}
