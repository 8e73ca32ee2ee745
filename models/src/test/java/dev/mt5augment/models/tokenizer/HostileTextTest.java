package dev.mt5augment.models.tokenizer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Text a service must survive. Expected ids are SentencePiece's (python sentencepiece 0.2.2 on the
 * fixture spiece.model, plus {@code </s>}): user text never produces special tokens.
 */
class HostileTextTest {

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

    static Stream<Arguments> sentencePieceIds() {
        Object[][] cases = {
                {"a</s>b", new int[] {3, 191, 2, 155, 183, 2, 825, 1}},
                {"<pad>", new int[] {3, 2, 368, 191, 543, 2, 1}},
                {"<unk>x", new int[] {3, 2, 248, 398, 1395, 2, 471, 1}},
                {"</s></s>", new int[] {3, 2, 155, 183, 2, 155, 183, 2, 1}},
                {"<pad><unk></s>", new int[] {3, 2, 368, 191, 543, 2, 248, 398, 1395, 2, 155, 183, 2, 1}},
                {"x </s> y", new int[] {3, 471, 3, 2, 155, 183, 2, 3, 135, 1}},
                // Full-width forms normalize to "</s>": still plain characters.
                {"＜／ｓ＞", new int[] {3, 2, 155, 183, 2, 1}},
                // The ▁ the shield appends to the renamed pieces cannot reach them either.
                {"</s>\u2581", new int[] {3, 2, 155, 183, 2, 1}},
                {"a\u0000b\u0001c", new int[] {3, 191, 2, 825, 544, 1}},
                {"\u0007\u001b[31m红\u001b[0m", new int[] {3, 2, 192, 194, 211, 341, 2, 304, 211, 1}},
                {"x\u200by", new int[] {3, 471, 3, 135, 1}},
                {"\uD83D\uDE00\uD83D\uDC4D", new int[] {3, 2, 34, 1}},
                {"\uFFFD", new int[] {1}},
                {"a\uFFFDb", new int[] {3, 191, 3, 825, 1}},
                {"", new int[] {1}},
        };
        List<Arguments> out = new ArrayList<>();
        for (Object[] c : cases) {
            out.add(Arguments.of("tokenizer.json", c[0], c[1]));
            out.add(Arguments.of("spiece.model", c[0], c[1]));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("sentencePieceIds")
    void encodesAsSentencePieceDoes(String source, String text, int[] expected) {
        HuggingFaceTextTokenizer t = source.equals("tokenizer.json") ? fromJson : fromSpiece;
        assertArrayEquals(expected, t.encode(text));
        assertArrayEquals(expected, t.encode(List.of(text)).get(0));
    }

    @Test
    void specialTokenTextDecodesBackToItsCharactersMinusUnknowns() {
        // '<' and '>' are not in the tiny vocabulary (they become <unk>), '/' and 's' are.
        assertEquals("/s", fromJson.decode(fromJson.encode("</s>")));
    }

    @Test
    void loneSurrogatesBecomeReplacementCharacters() {
        assertArrayEquals(fromJson.encode("a\uFFFDb"), fromJson.encode("a\uD800b"));
        assertArrayEquals(fromJson.encode("a\uFFFDb"), fromJson.encode("a\uDC00b"));
        assertArrayEquals(fromJson.encode("x\uFFFD"), fromJson.encode("x\uD83D"));
        assertArrayEquals(new int[] {1}, fromSpiece.encode("\uDFFF"));
        assertEquals("a\uFFFDb\uFFFD", HuggingFaceTextTokenizer.validUnicode("a\uDC00b\uD800"));
        String paired = "\uD83D\uDE00";
        assertEquals(paired, HuggingFaceTextTokenizer.validUnicode(paired));
    }

    @Test
    void veryLongTextIsEncodedWhole() {
        String sentence = TinyMt5Fixture.cases().get(39).text(); // 今天天气真好，我们去公园散步吧。
        int[] one = fromJson.encode(sentence);
        int copies = 20_000; // 340,000 characters
        // Spaces split the text into words (Metaspace), so every copy segments like the sentence alone.
        int[] ids = fromJson.encode((sentence + " ").repeat(copies));
        int body = one.length - 1; // without </s>
        assertEquals(body * copies + 1, ids.length);
        for (int copy = 0; copy < copies; copy++) {
            assertArrayEquals(Arrays.copyOf(one, body), Arrays.copyOfRange(ids, copy * body, (copy + 1) * body), "copy " + copy);
        }
        assertEquals(1, ids[ids.length - 1]);
    }

    @Test
    void piecelessAndOutOfRangeIdsDecodeToNothing() {
        int[] hello = fromJson.encode("你好");
        String expected = fromJson.decode(hello);
        assertEquals("你好", expected);
        int[] padded = {0, 1400, hello[0], 1403, hello[1], 1407, hello[2], -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 250_111, 1, 0, 0};
        assertEquals(expected, fromJson.decode(padded));
        assertEquals(expected, fromSpiece.decode(padded));
        assertEquals("", fromJson.decode(new int[] {1400, 1401, 1402, 1403, 1404, 1405, 1406, 1407}));
        assertEquals("", fromJson.decode(new int[] {0, 1, 2}));
        assertEquals("", fromJson.decode(new int[0]));
        assertTrue(fromJson.vocabulary().isSpecial(2) && !fromJson.vocabulary().isText(2));
    }

    @Test
    void generatedIdsFromTheGoldenFileDecode() {
        // long_input.argmax of golden.json contains 1407, an id with no piece.
        var argmax = TinyMt5Fixture.read(TinyMt5Fixture.dir().resolve("golden.json")).get("long_input").get("argmax");
        int[] ids = TinyMt5Fixture.JSON.convertValue(argmax.isArray() && argmax.get(0).isArray() ? argmax.get(0) : argmax, int[].class);
        assertTrue(Arrays.stream(ids).anyMatch(id -> id == 1407));
        String text = fromJson.decode(ids);
        int[] withoutPieceless = Arrays.stream(ids).filter(id -> id < 1400).toArray();
        assertEquals(fromJson.decode(withoutPieceless), text);
    }

    @Test
    void nullTextIsRefused() {
        assertThrows(NullPointerException.class, () -> fromJson.encode((String) null));
        List<String> withNull = new ArrayList<>();
        withNull.add("a");
        withNull.add(null);
        assertThrows(NullPointerException.class, () -> fromJson.encode(withNull));
    }
}
