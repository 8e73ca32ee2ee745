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
 * with outputs of up to {@value #BLOCK} tokens, all of them. The block costs reading up to
 * {@value #BLOCK} keys per row and head at early positions; the keys are 256 bytes each at mT5's
 * {@code d_kv} of 64, next to 1.2 MB of weights read per row for the projections.
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
