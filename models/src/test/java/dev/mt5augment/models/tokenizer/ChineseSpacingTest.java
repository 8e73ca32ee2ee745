package dev.mt5augment.models.tokenizer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Expected values were produced by ModelScope's own {@code remove_space_between_chinese_chars}
 * (modelscope/utils/chinese_utils.py, commit 06058bb) run on the inputs.
 */
class ChineseSpacingTest {

    static Stream<Arguments> modelScopeOutputs() {
        String[][] pairs = {
                {"你 好", "你好"},
                {"你好 , 世界 !", "你好,世界!"},
                {"Hello World", "Hello World"},
                {"我 买 了 iPhone 15 Pro", "我买了 iPhone 15 Pro"},
                {"第一行 第二行", "第一行第二行"},
                {"  前后  ", "前后"},
                {"", ""},
                {" ", ""},
                {"a  b", "a  b"},
                {"你  好", "你好"},
                {"价格 是 3.5 元", "价格是 3.5 元"},
                {"。 。", "。。"},
                {"中文 English 中文 字", "中文 English 中文字"},
                {"x² 你", "x² 你"},
                {"\uD840\uDC00 \uD840\uDC01", "\uD840\uDC00\uD840\uDC01"},
                {"《 书名 》", "《书名》"},
                {"全角 ，标点", "全角，标点"},
                {"\u3000你 好\u3000", "你好"},
                {"tab\t你 好\n", "tab\t你 好"},
                {"你\u00a0好 吗", "你\u00a0好 吗"},
                {"emoji \uD83D\uDE00 你 好", "emoji \uD83D\uDE00 你好"},
                {"「 引号 」 and 'quote'", "「引号」 and 'quote'"},
                {"a - b", "a - b"},
                {"中 - 文", "中-文"},
                {"I love 你 们", "I love 你们"},
        };
        return Arrays.stream(pairs).map(p -> Arguments.of(p[0], p[1]));
    }

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @MethodSource("modelScopeOutputs")
    void matchesModelScope(String decoded, String expected) {
        assertEquals(expected, ChineseSpacing.removeSpacesBetweenChineseWords(decoded));
    }

    @Test
    void ideographRangesAndWhitespaceFollowPython() {
        assertTrue(ChineseSpacing.isCjkIdeograph('中'));
        assertTrue(ChineseSpacing.isCjkIdeograph(0x20000));
        assertFalse(ChineseSpacing.isCjkIdeograph('あ'));
        assertFalse(ChineseSpacing.isCjkIdeograph('한'));
        assertTrue(ChineseSpacing.isPythonWhitespace('\u3000'));
        assertTrue(ChineseSpacing.isPythonWhitespace('\u0085'));
        assertFalse(ChineseSpacing.isPythonWhitespace('\u200B'));
    }

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', value = {
            "Hello , world .|Hello, world.",
            "what ?|what?",
            "it 's I 'm we 're they 've do n't|it's I'm we're they've don't",
            "你好 , 世界|你好, 世界",
            "a  ,b|a ,b",
    })
    void cleanupMatchesTransformers(String decoded, String expected) {
        assertEquals(expected, TokenizationSpaceCleanup.apply(decoded));
    }
}
