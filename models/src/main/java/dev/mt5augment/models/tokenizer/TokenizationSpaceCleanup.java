package dev.mt5augment.models.tokenizer;

/**
 * transformers' {@code PreTrainedTokenizerBase.clean_up_tokenization}: removes the space before
 * English punctuation and contractions. transformers 4.x applies it in {@code decode} by default
 * ({@code clean_up_tokenization_spaces=True}), so it is part of what ModelScope's T5 pipeline
 * returns: {@code "Hello , world ."} becomes {@code "Hello, world."}. The replacements run in this
 * order, each over the whole text, like Python's chained {@code str.replace}.
 *
 * <p>Threading: stateless.
 */
public final class TokenizationSpaceCleanup {

    private static final String[][] REPLACEMENTS = {
            {" .", "."}, {" ?", "?"}, {" !", "!"}, {" ,", ","}, {" ' ", "'"},
            {" n't", "n't"}, {" 'm", "'m"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"},
    };

    private TokenizationSpaceCleanup() {
    }

    public static String apply(String text) {
        String out = text;
        for (String[] r : REPLACEMENTS) out = out.replace(r[0], r[1]);
        return out;
    }
}
