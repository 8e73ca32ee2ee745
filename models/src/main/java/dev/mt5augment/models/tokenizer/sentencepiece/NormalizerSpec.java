package dev.mt5augment.models.tokenizer.sentencepiece;

import java.util.Arrays;

/**
 * {@code NormalizerSpec}: how text is normalized before segmentation.
 *
 * @param name                   rule name, e.g. {@code nmt_nfkc} (informational: the charsmap is what applies)
 * @param precompiledCharsmap    SentencePiece's compiled normalization trie; empty for {@code identity}
 * @param addDummyPrefix         a {@code ▁} is put in front of the text (default true)
 * @param removeExtraWhitespaces leading, trailing and repeated spaces are removed (default true)
 * @param escapeWhitespaces      spaces become {@code ▁} (default true)
 */
public record NormalizerSpec(
        String name,
        byte[] precompiledCharsmap,
        boolean addDummyPrefix,
        boolean removeExtraWhitespaces,
        boolean escapeWhitespaces) {

    public NormalizerSpec {
        precompiledCharsmap = precompiledCharsmap.clone();
    }

    /** The proto defaults: no charsmap, all three switches on. */
    public static NormalizerSpec defaults() {
        return new NormalizerSpec("", new byte[0], true, true, true);
    }

    @Override
    public byte[] precompiledCharsmap() {
        return precompiledCharsmap.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NormalizerSpec n
                && name.equals(n.name)
                && Arrays.equals(precompiledCharsmap, n.precompiledCharsmap)
                && addDummyPrefix == n.addDummyPrefix
                && removeExtraWhitespaces == n.removeExtraWhitespaces
                && escapeWhitespaces == n.escapeWhitespaces;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(precompiledCharsmap);
    }

    @Override
    public String toString() {
        return "NormalizerSpec[name=" + name + ", precompiledCharsmap=" + precompiledCharsmap.length + " bytes"
                + ", addDummyPrefix=" + addDummyPrefix + ", removeExtraWhitespaces=" + removeExtraWhitespaces
                + ", escapeWhitespaces=" + escapeWhitespaces + "]";
    }
}
