package dev.mt5augment.worker.reply;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes variants that repeat an earlier variant or equal their input text (compared after
 * trimming), keeping the first occurrence and the model's order.
 */
public final class VariantDeduper {
    private VariantDeduper() {
    }

    /** @param kept the variants left; @param removed how many were dropped */
    public record Deduped(List<String> kept, int removed) {
    }

    public static Deduped dedupe(String input, List<String> variants) {
        String original = input.strip();
        Set<String> seen = new LinkedHashSet<>();
        List<String> kept = new ArrayList<>(variants.size());
        for (String v : variants) {
            String key = v.strip();
            if (key.equals(original) || !seen.add(key)) continue;
            kept.add(v);
        }
        return new Deduped(List.copyOf(kept), variants.size() - kept.size());
    }
}
