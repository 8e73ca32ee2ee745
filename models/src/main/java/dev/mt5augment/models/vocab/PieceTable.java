package dev.mt5augment.models.vocab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.BitSet;

/**
 * The unigram pieces of a {@code tokenizer.json} as trimming needs them: text and score per id, the
 * ids that are special (added tokens marked special, and the model's {@code unk_id}), the ids that
 * are added tokens at all, and whether unknown characters fall back to byte pieces.
 *
 * @param pieces       piece text by id
 * @param scores       unigram log-probability by id
 * @param unkId        the model's {@code unk_id}
 * @param specialIds   ids kept whatever the corpus says: special added tokens and {@code unk_id}
 * @param addedIds     ids listed in {@code added_tokens} (special or not)
 * @param byteFallback unknown characters become {@code <0xXX>} pieces instead of {@code <unk>}
 */
public record PieceTable(String[] pieces, double[] scores, int unkId, BitSet specialIds, BitSet addedIds,
                         boolean byteFallback) {

    private static final char SPACE_MARKER = '\u2581';

    public PieceTable {
        if (pieces.length != scores.length) throw new IllegalArgumentException(pieces.length + " pieces but " + scores.length + " scores");
        pieces = pieces.clone();
        scores = scores.clone();
        specialIds = (BitSet) specialIds.clone();
        addedIds = (BitSet) addedIds.clone();
    }

    @Override
    public String[] pieces() {
        return pieces.clone();
    }

    @Override
    public double[] scores() {
        return scores.clone();
    }

    @Override
    public BitSet specialIds() {
        return (BitSet) specialIds.clone();
    }

    @Override
    public BitSet addedIds() {
        return (BitSet) addedIds.clone();
    }

    public boolean isAdded(int id) {
        return addedIds.get(id);
    }

    public int size() {
        return pieces.length;
    }

    public String piece(int id) {
        return pieces[id];
    }

    public double score(int id) {
        return scores[id];
    }

    public boolean isSpecial(int id) {
        return specialIds.get(id);
    }

    /**
     * The id with the lowest score over every entry, as Rust tokenizers computes {@code min_score}
     * (its unknown-character score is {@code min_score - 10}); the lowest id among equals.
     */
    public int lowestScoreId() {
        int best = 0;
        for (int id = 1; id < scores.length; id++) {
            if (scores[id] < scores[best]) best = id;
        }
        return best;
    }

    /** True for a piece made only of ASCII characters and {@code ▁} (English words, digits, punctuation). */
    public boolean isAscii(int id) {
        String p = pieces[id];
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c >= 0x80 && c != SPACE_MARKER) return false;
        }
        return !p.isEmpty();
    }

    /** True for a byte-fallback piece {@code <0xXX>}. */
    public boolean isBytePiece(int id) {
        String p = pieces[id];
        return p.length() == 6 && p.startsWith("<0x") && p.endsWith(">")
                && isHex(p.charAt(3)) && isHex(p.charAt(4));
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
    }

    /**
     * Reads the pieces of a raw (unshielded) {@code tokenizer.json} tree.
     *
     * @throws TrimException naming {@code source} and the field when it is not a unigram tokenizer
     */
    public static PieceTable of(JsonNode tokenizerJson, String source) {
        JsonNode model = tokenizerJson == null ? null : tokenizerJson.get("model");
        if (model == null || !model.isObject()) throw new TrimException(source + ": has no \"model\" object");
        String type = model.path("type").asText("");
        if (!type.equals("Unigram")) {
            throw new TrimException(source + ": model type '" + type + "' is not a unigram (SentencePiece) tokenizer; only those can be trimmed");
        }
        if (!(model.get("vocab") instanceof ArrayNode vocab) || vocab.isEmpty()) {
            throw new TrimException(source + ": model.vocab is missing or empty");
        }
        int n = vocab.size();
        String[] pieces = new String[n];
        double[] scores = new double[n];
        for (int id = 0; id < n; id++) {
            JsonNode entry = vocab.get(id);
            if (!(entry instanceof ArrayNode pair) || pair.size() != 2 || !pair.get(0).isTextual() || !pair.get(1).isNumber()) {
                throw new TrimException(source + ": model.vocab[" + id + "] is not a [piece, score] pair");
            }
            pieces[id] = pair.get(0).textValue();
            scores[id] = pair.get(1).doubleValue();
            if (!Double.isFinite(scores[id])) throw new TrimException(source + ": model.vocab[" + id + "] has score " + scores[id]);
        }
        JsonNode unk = model.get("unk_id");
        if (unk == null || !unk.canConvertToInt() || unk.intValue() < 0 || unk.intValue() >= n) {
            throw new TrimException(source + ": model.unk_id " + unk + " is not an id among the " + n + " pieces");
        }
        BitSet special = new BitSet(n);
        BitSet added = new BitSet(n);
        special.set(unk.intValue());
        JsonNode addedTokens = tokenizerJson.path("added_tokens");
        if (!addedTokens.isMissingNode() && !addedTokens.isNull()) {
            if (!addedTokens.isArray()) throw new TrimException(source + ": added_tokens is not an array");
            for (JsonNode token : addedTokens) {
                JsonNode id = token.get("id");
                if (id == null || !id.canConvertToInt() || id.intValue() < 0 || id.intValue() >= n) {
                    // Added tokens past the unigram vocabulary have no row of their own to keep or drop.
                    throw new TrimException(source + ": added token " + abbreviate(token) + " has no id among the "
                            + n + " unigram pieces; such tokenizers cannot be trimmed");
                }
                added.set(id.intValue());
                if (token.path("special").asBoolean(false)) special.set(id.intValue());
            }
        }
        return new PieceTable(pieces, scores, unk.intValue(), special, added, model.path("byte_fallback").asBoolean(false));
    }

    private static String abbreviate(JsonNode node) {
        String s = node.toString();
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }
}
