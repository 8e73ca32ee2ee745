package dev.mt5augment.models.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;

/**
 * Makes special tokens unreachable from user text, so that {@code "a</s>b"} is encoded as the
 * characters {@code <}, {@code /}, {@code s}, {@code >} — exactly as SentencePiece encodes it — and
 * never as the id of {@code </s>}. A service must not let a request end its input early or forge
 * padding by writing {@code </s>} or {@code <pad>} in its text.
 *
 * <p>The Rust tokenizer would otherwise inject them two ways: it extracts special added tokens
 * from the raw text before normalizing, and its unigram lattice matches every vocabulary entry,
 * control pieces included (SentencePiece never matches CONTROL or UNKNOWN pieces). The shield, on a
 * copy of {@code tokenizer.json}:
 * <ul>
 *   <li>drops the special entries of {@code added_tokens} (non-special ones stay);</li>
 *   <li>renames the vocabulary entry of each special token, and of the model's {@code unk_id}, by
 *       appending {@code ▁}: Metaspace splits the text before every {@code ▁}, so no pre-token
 *       holds a {@code ▁} after its first character and the renamed entry can never match. The ids,
 *       scores and {@code unk_id} stay, so every other segmentation is unchanged.</li>
 * </ul>
 * The {@code </s>} appended by the post-processor is unaffected: TemplateProcessing carries its id.
 * Decoding skips the special ids itself (see {@link Vocabulary}). For layouts where the rename is
 * not enough (no Metaspace split), {@link HuggingFaceTextTokenizer} still refuses any encoding in
 * which a special id appears before the final {@code </s>}.
 */
final class SpecialTokenShield {

    private static final String SPACE_MARKER = "\u2581";
    private static final String EOS = "</s>";

    private SpecialTokenShield() {
    }

    /** The shielded tokenizer.json and the id facts read from it. */
    record Shielded(ObjectNode tokenizerJson, Vocabulary vocabulary) {
    }

    static Shielded apply(JsonNode original, String source) {
        if (!(original instanceof ObjectNode)) throw new TokenizerException(source + ": not a JSON object");
        ObjectNode json = ((ObjectNode) original).deepCopy();
        JsonNode model = json.get("model");
        if (!(model instanceof ObjectNode)) throw new TokenizerException(source + ": has no \"model\" object");
        String type = model.path("type").asText("");
        if (!type.equals("Unigram")) {
            throw new TokenizerException(source + ": model type '" + type + "' is not a unigram (SentencePiece) tokenizer as mT5 uses");
        }
        JsonNode vocabNode = model.get("vocab");
        if (!(vocabNode instanceof ArrayNode vocab) || vocab.isEmpty()) {
            throw new TokenizerException(source + ": model.vocab is missing or empty");
        }
        int pieceCount = vocab.size();
        Set<String> pieceTexts = new HashSet<>(pieceCount * 2);
        int eosId = -1;
        for (int id = 0; id < pieceCount; id++) {
            String piece = pieceText(vocab, id, source);
            pieceTexts.add(piece);
            if (eosId < 0 && piece.equals(EOS)) eosId = id;
        }

        JsonNode unkNode = model.get("unk_id");
        if (unkNode == null || !unkNode.canConvertToInt() || unkNode.asInt() < 0 || unkNode.asInt() >= pieceCount) {
            throw new TokenizerException(source + ": model.unk_id " + (unkNode == null ? "(missing)" : abbreviate(unkNode)) + " is not an id among the " + pieceCount + " pieces");
        }
        int unkId = unkNode.asInt();

        BitSet special = new BitSet(pieceCount);
        BitSet text = new BitSet(pieceCount);
        text.set(0, pieceCount);

        ArrayNode kept = json.arrayNode();
        JsonNode added = json.path("added_tokens");
        if (!added.isMissingNode() && !added.isNull() && !added.isArray()) {
            throw new TokenizerException(source + ": added_tokens is not an array");
        }
        // Added tokens follow the pieces; an id past them is hostile (and would size the bit sets).
        int idLimit = pieceCount + added.size();
        for (JsonNode token : added) {
            JsonNode idNode = token.get("id");
            if (idNode == null || !idNode.canConvertToInt() || idNode.asInt() < 0 || idNode.asInt() >= idLimit) {
                throw new TokenizerException(source + ": added token " + abbreviate(token) + " has no id below " + idLimit);
            }
            int id = idNode.asInt();
            String content = token.path("content").asText("");
            if (content.equals(EOS)) eosId = id;
            if (token.path("special").asBoolean(false)) {
                special.set(id);
                text.clear(id);
                if (id < pieceCount && pieceText(vocab, id, source).equals(content)) {
                    makeUnreachable(vocab, id, pieceTexts, source);
                }
            } else {
                kept.add(token);
                text.set(id);
            }
        }
        json.set("added_tokens", kept);

        special.set(unkId);
        text.clear(unkId);
        if (pieceTexts.contains(pieceText(vocab, unkId, source))) makeUnreachable(vocab, unkId, pieceTexts, source);

        if (eosId < 0) throw new TokenizerException(source + ": has no " + EOS + " token; mT5 inputs end with " + EOS);
        return new Shielded(json, new Vocabulary(pieceCount, eosId, unkId, special, text));
    }

    private static String abbreviate(JsonNode node) {
        String s = node.toString();
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    private static String pieceText(ArrayNode vocab, int id, String source) {
        JsonNode entry = vocab.get(id);
        if (!(entry instanceof ArrayNode pair) || pair.size() != 2 || !pair.get(0).isTextual() || !pair.get(1).isNumber()) {
            throw new TokenizerException(source + ": model.vocab[" + id + "] is not a [piece, score] pair: " + abbreviate(entry));
        }
        return pair.get(0).asText();
    }

    private static void makeUnreachable(ArrayNode vocab, int id, Set<String> pieceTexts, String source) {
        ArrayNode pair = (ArrayNode) vocab.get(id);
        String original = pair.get(0).asText();
        String renamed = (original.isEmpty() ? "<special>" : original) + SPACE_MARKER;
        while (pieceTexts.contains(renamed)) renamed += SPACE_MARKER;
        pieceTexts.remove(original);
        pieceTexts.add(renamed);
        pair.set(0, TextNode.valueOf(renamed));
    }
}
