package dev.mt5augment.models.vocab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Which rows of the original vocabulary a trimmed model keeps: new id {@code n} is old id
 * {@link #toOld(int) toOld(n)}. Kept ids keep their relative order, so ids below the first dropped id
 * (mT5's {@code <pad>} 0, {@code </s>} 1, {@code <unk>} 2) are unchanged.
 *
 * <p>Stored as {@code vocab-mapping.json}: {@code {"format": "mt5-augment.vocab-mapping.v1",
 * "old_vocab_size": V, "new_vocab_size": N, "old_ids": [N old ids in new-id order]}}.
 *
 * <p>Immutable; thread-safe.
 */
public final class IdMapping {

    public static final String FILE_NAME = "vocab-mapping.json";
    public static final String FORMAT = "mt5-augment.vocab-mapping.v1";
    /** An old id that was dropped has no new id. */
    public static final int DROPPED = -1;

    /** Larger than any real mapping (250,112 ids take about 2 MB); bigger files are refused unread. */
    static final long MAX_FILE_BYTES = 64L << 20;

    private final int oldVocabSize;
    private final int[] newToOld;
    private final int[] oldToNew;

    private IdMapping(int oldVocabSize, int[] newToOld) {
        this.oldVocabSize = oldVocabSize;
        this.newToOld = newToOld;
        this.oldToNew = new int[oldVocabSize];
        Arrays.fill(oldToNew, DROPPED);
        for (int n = 0; n < newToOld.length; n++) oldToNew[newToOld[n]] = n;
    }

    /**
     * The mapping that keeps {@code oldIds} of a vocabulary of {@code oldVocabSize} rows.
     *
     * @param oldIds strictly increasing ids in {@code [0, oldVocabSize)}, at least one
     * @throws IllegalArgumentException naming the first offending id
     */
    public static IdMapping keeping(int oldVocabSize, int[] oldIds) {
        if (oldVocabSize <= 0) throw new IllegalArgumentException("old vocabulary size must be > 0, got " + oldVocabSize);
        if (oldIds.length == 0) throw new IllegalArgumentException("a mapping keeps at least one id");
        int previous = -1;
        for (int i = 0; i < oldIds.length; i++) {
            int id = oldIds[i];
            if (id < 0 || id >= oldVocabSize) {
                throw new IllegalArgumentException("old_ids[" + i + "] = " + id + " is outside the old vocabulary of " + oldVocabSize);
            }
            if (id <= previous) {
                throw new IllegalArgumentException("old_ids[" + i + "] = " + id + " does not follow " + previous
                        + ": kept ids must be strictly increasing");
            }
            previous = id;
        }
        return new IdMapping(oldVocabSize, oldIds.clone());
    }

    public int oldVocabSize() {
        return oldVocabSize;
    }

    public int newVocabSize() {
        return newToOld.length;
    }

    /** The original id of trimmed id {@code newId}. @throws IllegalArgumentException when out of range */
    public int toOld(int newId) {
        if (newId < 0 || newId >= newToOld.length) {
            throw new IllegalArgumentException("id " + newId + " is outside the trimmed vocabulary of " + newToOld.length);
        }
        return newToOld[newId];
    }

    /** The trimmed id of original id {@code oldId}, or {@link #DROPPED}. @throws IllegalArgumentException when out of range */
    public int toNew(int oldId) {
        if (oldId < 0 || oldId >= oldVocabSize) {
            throw new IllegalArgumentException("id " + oldId + " is outside the original vocabulary of " + oldVocabSize);
        }
        return oldToNew[oldId];
    }

    public boolean isKept(int oldId) {
        return oldId >= 0 && oldId < oldVocabSize && oldToNew[oldId] != DROPPED;
    }

    /** Every id mapped back to the original vocabulary. */
    public int[] toOld(int[] newIds) {
        int[] out = new int[newIds.length];
        for (int i = 0; i < out.length; i++) out[i] = toOld(newIds[i]);
        return out;
    }

    /** Every id mapped to the trimmed vocabulary. @throws IllegalArgumentException naming the first dropped id */
    public int[] toNew(int[] oldIds) {
        int[] out = new int[oldIds.length];
        for (int i = 0; i < out.length; i++) {
            int n = toNew(oldIds[i]);
            if (n == DROPPED) throw new IllegalArgumentException("id " + oldIds[i] + " at position " + i + " was trimmed away");
            out[i] = n;
        }
        return out;
    }

    /** True when every id is kept. */
    public boolean keepsAll(int[] oldIds) {
        for (int id : oldIds) {
            if (!isKept(id)) return false;
        }
        return true;
    }

    /** The original ids in new-id order (a copy). */
    public int[] oldIds() {
        return newToOld.clone();
    }

    public ObjectNode toJson() {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("format", FORMAT);
        o.put("old_vocab_size", oldVocabSize);
        o.put("new_vocab_size", newToOld.length);
        ArrayNode ids = o.putArray("old_ids");
        for (int id : newToOld) ids.add(id);
        return o;
    }

    /** Reads and validates a mapping; {@code source} names it in errors. */
    public static IdMapping fromJson(JsonNode json, String source) {
        if (json == null || !json.isObject()) throw new TrimException(source + ": not a JSON object");
        if (!FORMAT.equals(json.path("format").asText(null))) {
            throw new TrimException(source + ": format is " + json.get("format") + ", expected \"" + FORMAT + "\"");
        }
        JsonNode oldSize = json.get("old_vocab_size");
        if (oldSize == null || !oldSize.isIntegralNumber() || !oldSize.canConvertToInt()) {
            throw new TrimException(source + ": old_vocab_size must be an integer, got " + oldSize);
        }
        JsonNode ids = json.get("old_ids");
        if (!(ids instanceof ArrayNode array)) throw new TrimException(source + ": old_ids must be an array");
        if (array.size() > oldSize.intValue()) {
            throw new TrimException(source + ": old_ids has " + array.size() + " entries, more than old_vocab_size " + oldSize);
        }
        int[] old = new int[array.size()];
        for (int i = 0; i < old.length; i++) {
            JsonNode id = array.get(i);
            if (!id.isIntegralNumber() || !id.canConvertToInt()) throw new TrimException(source + ": old_ids[" + i + "] is not an integer: " + id);
            old[i] = id.intValue();
        }
        JsonNode newSize = json.get("new_vocab_size");
        if (newSize == null || !newSize.isIntegralNumber() || newSize.longValue() != old.length) {
            throw new TrimException(source + ": new_vocab_size " + newSize + " does not match the " + old.length + " old_ids");
        }
        try {
            return keeping(oldSize.intValue(), old);
        } catch (IllegalArgumentException e) {
            throw new TrimException(source + ": " + e.getMessage(), e);
        }
    }

    public void write(Path file) {
        try {
            Files.write(file, new ObjectMapper().writeValueAsBytes(toJson()));
        } catch (IOException e) {
            throw new TrimException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** Reads {@code file}, or {@code dir/vocab-mapping.json} when given a folder. */
    public static IdMapping read(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve(FILE_NAME) : path;
        try {
            if (!Files.isRegularFile(file)) throw new TrimException(file + ": no such file");
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) throw new TrimException(file + ": " + size + " bytes is too large for a vocabulary mapping");
            return fromJson(new ObjectMapper().readTree(Files.readAllBytes(file)), file.toString());
        } catch (IOException e) {
            throw new TrimException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "IdMapping[" + oldVocabSize + " -> " + newToOld.length + "]";
    }
}
