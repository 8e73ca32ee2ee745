package dev.mt5augment.models.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
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
        Map<String, Integer> pieceIds = new HashMap<>(pieceCount * 2);
        for (int id = 0; id < pieceCount; id++) pieceIds.putIfAbsent(pieceText(vocab, id, source), id);
        int eosId = pieceIds.getOrDefault(EOS, -1);

        JsonNode unkNode = model.get("unk_id");
        if (unkNode == null || !unkNode.canConvertToInt() || unkNode.asInt() < 0 || unkNode.asInt() >= pieceCount) {
            throw new TokenizerException(source + ": model.unk_id " + (unkNode == null ? "(missing)" : abbreviate(unkNode)) + " is not an id among the " + pieceCount + " pieces");
        }
        int unkId = unkNode.asInt();

        BitSet special = new BitSet(pieceCount);
        BitSet text = new BitSet(pieceCount);
        text.set(0, pieceCount);
        Renamer renamer = new Renamer(vocab, pieceIds.keySet());

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
                // The piece spelled like the token, normally at the same id, must not match text either.
                Integer piece = pieceIds.get(content);
                if (piece != null) {
                    special.set(piece);
                    text.clear(piece);
                    renamer.makeUnreachable(piece);
                }
            } else {
                kept.add(token);
                text.set(id);
            }
        }
        json.set("added_tokens", kept);

        special.set(unkId);
        text.clear(unkId);
        renamer.makeUnreachable(unkId);

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

    /** Renames vocabulary entries to spellings no pre-token can contain, each entry once. */
    private static final class Renamer {
        private final ArrayNode vocab;
        private final Set<String> taken;
        private final BitSet renamed = new BitSet();

        Renamer(ArrayNode vocab, Set<String> pieceTexts) {
            this.vocab = vocab;
            this.taken = new HashSet<>(pieceTexts);
        }

        void makeUnreachable(int id) {
            if (renamed.get(id)) return;
            renamed.set(id);
            ArrayNode pair = (ArrayNode) vocab.get(id);
            String original = pair.get(0).asText();
            String spelling = (original.isEmpty() ? "<special>" : original) + SPACE_MARKER;
            while (taken.contains(spelling)) spelling += SPACE_MARKER;
            taken.add(spelling);
            pair.set(0, TextNode.valueOf(spelling));
        }
    }
}
