package dev.mt5augment.models.vocab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a trim did, printed as JSON by {@code bin/mt5 trim-vocab}.
 *
 * @param source             the original model folder
 * @param out                the trimmed model folder
 * @param oldVocabSize       rows before (the config's {@code vocab_size})
 * @param newVocabSize       rows after: the kept ids, no padding rows (see {@link VocabularyTrimmer})
 * @param oldPieces          tokenizer pieces before, 0 without a tokenizer
 * @param newPieces          tokenizer pieces after
 * @param keptBy             kept ids per reason
 * @param policy             the keep rules applied
 * @param usage              corpus statistics, or null without a corpus
 * @param specialIdsUnchanged true when pad, eos and decoder start keep their ids (always for mT5)
 * @param oldModelBytes      bytes of the original weight file(s)
 * @param newModelBytes      bytes of the trimmed {@code model.safetensors}
 * @param droppedAliases     {@code embed_tokens} aliases of {@code shared.weight} not written
 * @param heldOut            coverage of the held-out file, or null
 * @param warnings           things the user should look at
 * @param seconds            wall time
 */
public record TrimReport(Path source, Path out, int oldVocabSize, int newVocabSize, int oldPieces, int newPieces,
                         Map<KeepReason, Integer> keptBy, KeepPolicy policy, PieceUsage usage, boolean specialIdsUnchanged,
                         long oldModelBytes, long newModelBytes, List<String> droppedAliases, HeldOutCoverage heldOut,
                         List<String> warnings, double seconds) {

    public TrimReport {
        keptBy = Map.copyOf(keptBy);
        droppedAliases = List.copyOf(droppedAliases);
        warnings = List.copyOf(warnings);
    }

    public ObjectNode toJson() {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("source", source.toString());
        o.put("out", out.toString());
        o.put("kept", newVocabSize);
        o.put("old_vocab_size", oldVocabSize);
        o.put("new_vocab_size", newVocabSize);
        o.put("old_pieces", oldPieces);
        o.put("new_pieces", newPieces);
        ObjectNode by = o.putObject("kept_by");
        for (KeepReason r : KeepReason.values()) by.put(r.jsonName(), keptBy.getOrDefault(r, 0));
        o.put("min_count", policy.minCount());
        o.put("keep_ascii", policy.keepAscii());
        o.put("requested_ids", policy.extraIds().length);
        if (usage != null) {
            ObjectNode c = o.putObject("corpus");
            c.put("lines", usage.segments());
            c.put("tokens", usage.tokens());
            c.put("unknown_tokens", usage.unknownTokens());
            c.put("distinct_ids", usage.distinctIds());
        }
        o.put("special_ids_unchanged", specialIdsUnchanged);
        o.put("old_model_bytes", oldModelBytes);
        o.put("new_model_bytes", newModelBytes);
        o.put("model_size_ratio", HeldOutCoverage.round(oldModelBytes == 0 ? 0 : (double) newModelBytes / oldModelBytes));
        var aliases = o.putArray("dropped_aliases");
        droppedAliases.forEach(aliases::add);
        if (heldOut != null) o.set("held_out", heldOut.toJson());
        var w = o.putArray("warnings");
        warnings.forEach(w::add);
        o.put("seconds", Math.round(seconds * 1000) / 1000.0);
        return o;
    }
}
