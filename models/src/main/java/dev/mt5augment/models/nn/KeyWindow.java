package dev.mt5augment.models.nn;

/**
 * How many cached keys a decoding step at decoder position {@code p} attends over:
 * {@code p + 1} rounded up to a block of {@value #BLOCK}, the keys after {@code p} masked by the
 * position bias ({@link RelativePositionBias#stepBias}).
 *
 * <p>Why not exactly {@code p + 1}: rows at different positions (continuous batching) can share one
 * self-attention product only over a common key length, and a padded key axis changes how the
 * engine's reductions group their additions (measured: 162 of 256 cases differ by up to 4e-6 at
 * mT5-base's head size), so a row's numbers would depend on its batch mates' positions. With the
 * length a function of the row's own position, every row attends over the same keys, masked the
 * same way, in a static batch and in a continuous one, and rows whose lengths agree share a product:
 * with outputs of up to {@value #BLOCK} tokens, all of them. The block costs reading masked keys
 * at early positions, small beside a step's matrix products ({@code bin/mt5 bench} on mT5-base, 32
 * new tokens: the same speed as exact lengths), and a cache of whole blocks (0.2 GB more peak RSS
 * there).
 */
public final class KeyWindow {

    /** Key block: the common {@code max_new_tokens} of augmentation fits in one. */
    public static final int BLOCK = 64;

    private KeyWindow() {
    }

    /** Keys attended by a step at {@code position}: {@code [0, keys(position))}. */
    public static int keys(int position) {
        if (position < 0) throw new IllegalArgumentException("position must be >= 0, got " + position);
        return capacity(position + 1);
    }

    /** Positions a cache must hold so that any of its first {@code positions} can attend its window. */
    public static int capacity(int positions) {
        return Math.max(BLOCK, (positions + BLOCK - 1) / BLOCK * BLOCK);
    }
}
