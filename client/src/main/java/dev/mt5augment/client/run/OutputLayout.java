package dev.mt5augment.client.run;

import java.util.List;
import java.util.Set;

/**
 * The shape of the output rows. Each row holds the input record's fields in file order (the text
 * field holding the text or, with {@code --split}, the piece), then:
 * <ul>
 *   <li>one row per variant (default): {@code variant}, {@code original} (true on the row that
 *       repeats the input text itself, written first unless {@code --exclude-original}),
 *       {@code input_line}, {@code input_key};</li>
 *   <li>one row per input ({@code --one-row-per-input}): {@code variants} (a list, the input text
 *       first unless {@code --exclude-original}; a JSON array in a CSV cell), {@code input_line},
 *       {@code input_key}.</li>
 * </ul>
 *
 * @param textColumn the input's text field, also the name of a .txt line's column
 */
record OutputLayout(OutputFormat format, boolean oneRowPerInput, boolean excludeOriginal, String textColumn) {

    static final String VARIANT = "variant";
    static final String VARIANTS = "variants";
    static final String ORIGINAL = "original";
    static final String INPUT_LINE = "input_line";
    static final String INPUT_KEY = "input_key";

    /** Names an input field may not have: the output rows add them. */
    static final Set<String> RESERVED = Set.of(VARIANT, VARIANTS, ORIGINAL, INPUT_LINE, INPUT_KEY);

    List<String> addedColumns() {
        return oneRowPerInput ? List.of(VARIANTS, INPUT_LINE, INPUT_KEY) : List.of(VARIANT, ORIGINAL, INPUT_LINE, INPUT_KEY);
    }
}
