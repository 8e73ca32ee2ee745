package dev.mt5augment.models.vocab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;

/**
 * Rewrites a unigram {@code tokenizer.json} for a trimmed vocabulary: {@code model.vocab} becomes the
 * kept {@code [piece, score]} entries in new-id order with their original scores, and every id the
 * file names is mapped: {@code model.unk_id}, {@code added_tokens[].id}, the post-processor's special
 * token ids (the {@code </s>} that {@code TemplateProcessing} appends) and {@code padding.pad_id}.
 * The normalizer, pre-tokenizer and decoder are copied unchanged, so text is normalized and split
 * exactly as before; only the pieces the lattice can choose from shrink.
 *
 * <p>The input is the raw file (before {@link dev.mt5augment.models.tokenizer.Tokenizers#load}'s
 * special-token shield); the shield is applied again, unchanged, when the trimmed file is loaded.
 */
public final class TokenizerJsonTrimmer {

    private TokenizerJsonTrimmer() {
    }

    /**
     * The trimmed copy of {@code original}; {@code source} names it in errors.
     *
     * @throws TrimException when an id the file names was not kept, or the post-processor is of a kind
     *                       whose ids this trimmer does not know how to map
     */
    public static ObjectNode trim(JsonNode original, IdMapping mapping, String source) {
        PieceTable.of(original, source); // validates model type and vocab entries
        ObjectNode json = ((ObjectNode) original).deepCopy();
        ObjectNode model = (ObjectNode) json.get("model");
        ArrayNode oldVocab = (ArrayNode) model.get("vocab");
        ArrayNode newVocab = json.arrayNode(mapping.newVocabSize());
        for (int n = 0; n < mapping.newVocabSize(); n++) {
            int old = mapping.toOld(n);
            // Kept rows with no piece (mT5's padding rows, kept with --keep-ids) come after every piece,
            // as kept ids keep their order: they stay pieceless rows past the trimmed tokenizer's pieces.
            if (old >= oldVocab.size()) break;
            newVocab.add(oldVocab.get(old).deepCopy());
        }
        model.set("vocab", newVocab);
        model.set("unk_id", IntNode.valueOf(mapped(mapping, model.get("unk_id").intValue(), source, "model.unk_id")));

        JsonNode added = json.get("added_tokens");
        if (added instanceof ArrayNode tokens) {
            for (JsonNode token : tokens) {
                ((ObjectNode) token).put("id", mapped(mapping, token.get("id").intValue(), source,
                        "added token " + token.path("content").asText()));
            }
        }
        JsonNode padding = json.get("padding");
        if (padding instanceof ObjectNode p && p.has("pad_id")) {
            p.put("pad_id", mapped(mapping, p.get("pad_id").asInt(), source, "padding.pad_id"));
        }
        remapPostProcessor(json.get("post_processor"), mapping, source);
        return json;
    }

    /** Number of unigram pieces the trimmed tokenizer.json will have: kept ids that have a piece. */
    static int keptPieces(IdMapping mapping, int pieceCount) {
        int n = 0;
        for (int i = 0; i < mapping.newVocabSize(); i++) {
            if (mapping.toOld(i) < pieceCount) n++;
        }
        return n;
    }

    private static void remapPostProcessor(JsonNode node, IdMapping mapping, String source) {
        if (node == null || node.isNull()) return;
        String type = node.path("type").asText("");
        switch (type) {
            case "TemplateProcessing" -> {
                JsonNode specials = node.get("special_tokens");
                if (specials == null || !specials.isObject()) return;
                for (Iterator<Map.Entry<String, JsonNode>> it = specials.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (e.getValue().get("ids") instanceof ArrayNode ids) {
                        for (int i = 0; i < ids.size(); i++) {
                            ids.set(i, IntNode.valueOf(mapped(mapping, ids.get(i).asInt(), source,
                                    "post_processor special token " + e.getKey())));
                        }
                    }
                }
            }
            case "Sequence" -> {
                for (JsonNode p : node.path("processors")) remapPostProcessor(p, mapping, source);
            }
            case "ByteLevel" -> {
                // names no ids
            }
            default -> throw new TrimException(source + ": post_processor type '" + type
                    + "' is not supported for trimming (only TemplateProcessing, as T5 / mT5 use)");
        }
    }

    private static int mapped(IdMapping mapping, int oldId, String source, String what) {
        if (!mapping.isKept(oldId)) throw new TrimException(source + ": " + what + " has id " + oldId + ", which was not kept");
        return mapping.toNew(oldId);
    }
}
