package dev.mt5augment.models.tokenizer;

/**
 * Removes the spaces between Chinese words of decoded text, exactly as ModelScope's text
 * generation pipelines do after decoding ({@code TextGenerationPipeline.postprocess}, which
 * {@code TextGenerationT5Pipeline} inherits, calls
 * {@code modelscope.utils.chinese_utils.remove_space_between_chinese_chars}; modelscope commit
 * 06058bb1a2464fba14973b2e22e0e451dd64a4fd):
 *
 * <ol>
 *   <li>split the text on U+0020 only (Python {@code str.split(' ')}: runs of spaces give empty words);</li>
 *   <li>a word is "Chinese" when every code point is a CJK ideograph (the ranges of
 *       {@link #isCjkIdeograph}), Chinese punctuation or ASCII punctuation — so the empty word is
 *       Chinese, and {@code "3.5"} or {@code "iPhone"} are not;</li>
 *   <li>each run of consecutive Chinese words is glued together without spaces; other words keep
 *       their single separating spaces;</li>
 *   <li>the result is stripped of Python whitespace at both ends ({@code str.strip()}).</li>
 * </ol>
 * So {@code "你 好 , 世界"} becomes {@code "你好,世界"} and {@code "Hello World"} is unchanged.
 *
 * <p>Threading: stateless.
 */
public final class ChineseSpacing {

    /** {@code CHINESE_PUNCTUATION} of chinese_utils.py, character for character. */
    static final String CHINESE_PUNCTUATION =
            "＂＃＄％＆＇（）＊＋，－／：；＜＝＞＠［＼］＾＿｀｛｜｝～｟｠｢｣､\u3000、〃〈〉《》「」『』【】〔〕〖〗〘〙〚〛〜〝〞〟〰〾〿–—‘’‛“”„‟…‧﹏﹑﹔·！？｡。";

    /** Python's {@code string.punctuation}. */
    static final String ASCII_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private ChineseSpacing() {
    }

    public static String removeSpacesBetweenChineseWords(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int runStart = -1; // start offset of the current run of Chinese words, or -1
        boolean firstWord = true;
        int wordStart = 0;
        while (true) {
            int space = text.indexOf(' ', wordStart);
            int wordEnd = space < 0 ? text.length() : space;
            if (isChineseWord(text, wordStart, wordEnd)) {
                if (runStart < 0) {
                    if (!firstWord) out.append(' ');
                    runStart = wordStart;
                }
                out.append(text, wordStart, wordEnd);
            } else {
                if (!firstWord) out.append(' ');
                runStart = -1;
                out.append(text, wordStart, wordEnd);
            }
            firstWord = false;
            if (space < 0) break;
            wordStart = space + 1;
        }
        return stripPythonWhitespace(out);
    }

    private static boolean isChineseWord(String text, int start, int end) {
        for (int i = start; i < end; ) {
            int cp = text.codePointAt(i);
            if (!isCjkIdeograph(cp) && CHINESE_PUNCTUATION.indexOf(cp) < 0 && ASCII_PUNCTUATION.indexOf(cp) < 0) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    /** {@code _is_chinese_char} of chinese_utils.py: the CJK Unified Ideographs blocks and extensions, compatibility ideographs. */
    static boolean isCjkIdeograph(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    private static String stripPythonWhitespace(CharSequence s) {
        int start = 0;
        int end = s.length();
        while (start < end && isPythonWhitespace(s.charAt(start))) start++;
        while (end > start && isPythonWhitespace(s.charAt(end - 1))) end--;
        return s.subSequence(start, end).toString();
    }

    /** Python's {@code str.isspace()}: bidi classes WS, B, S and category Zs (all in the BMP). */
    static boolean isPythonWhitespace(char c) {
        return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F
                || c == 0x3000;
    }
}
