package dev.mt5augment.models.vocab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdMappingTest {

    @Test
    void mapsBothWaysAndKeepsIdsBelowTheFirstGap() {
        IdMapping m = IdMapping.keeping(10, new int[] {0, 1, 2, 5, 9});
        assertEquals(10, m.oldVocabSize());
        assertEquals(5, m.newVocabSize());
        for (int n = 0; n < 5; n++) assertEquals(n, m.toNew(m.toOld(n)));
        assertEquals(2, m.toNew(2));
        assertEquals(3, m.toNew(5));
        assertEquals(IdMapping.DROPPED, m.toNew(3));
        assertFalse(m.isKept(4));
        assertFalse(m.isKept(10));
        assertFalse(m.isKept(-1));
        assertArrayEquals(new int[] {4, 0, 3}, m.toNew(new int[] {9, 0, 5}));
        assertArrayEquals(new int[] {9, 0, 5}, m.toOld(new int[] {4, 0, 3}));
        assertTrue(m.keepsAll(new int[] {0, 9}));
        assertFalse(m.keepsAll(new int[] {0, 8}));
        IllegalArgumentException dropped = assertThrows(IllegalArgumentException.class, () -> m.toNew(new int[] {0, 7}));
        assertTrue(dropped.getMessage().contains("id 7 at position 1"), dropped.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.toOld(5));
        assertThrows(IllegalArgumentException.class, () -> m.toNew(10));
    }

    @Test
    void refusesIdsThatAreNotStrictlyIncreasingOrOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> IdMapping.keeping(10, new int[] {0, 2, 2}));
        assertThrows(IllegalArgumentException.class, () -> IdMapping.keeping(10, new int[] {3, 1}));
        assertThrows(IllegalArgumentException.class, () -> IdMapping.keeping(10, new int[] {0, 10}));
        assertThrows(IllegalArgumentException.class, () -> IdMapping.keeping(10, new int[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> IdMapping.keeping(10, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> IdMapping.keeping(0, new int[] {0}));
    }

    @Test
    void roundTripsThroughItsFile(@TempDir Path tmp) {
        IdMapping m = IdMapping.keeping(250_112, new int[] {0, 1, 2, 7, 250_000, 250_111});
        m.write(tmp.resolve(IdMapping.FILE_NAME));
        IdMapping back = IdMapping.read(tmp); // a folder means its vocab-mapping.json
        assertArrayEquals(m.oldIds(), back.oldIds());
        assertEquals(m.oldVocabSize(), back.oldVocabSize());
    }

    @Test
    void refusesCorruptFilesNamingTheField(@TempDir Path tmp) throws Exception {
        ObjectNode good = IdMapping.keeping(10, new int[] {0, 1, 4}).toJson();
        assertRefused(tmp, good.deepCopy().put("format", "other"), "format");
        assertRefused(tmp, good.deepCopy().put("old_vocab_size", "10"), "old_vocab_size");
        assertRefused(tmp, good.deepCopy().put("new_vocab_size", 4), "new_vocab_size");
        ObjectNode unsorted = good.deepCopy();
        unsorted.putArray("old_ids").add(0).add(4).add(1);
        assertRefused(tmp, unsorted, "strictly increasing");
        ObjectNode outside = good.deepCopy();
        outside.putArray("old_ids").add(0).add(1).add(10);
        assertRefused(tmp, outside, "outside the old vocabulary");
        ObjectNode text = good.deepCopy();
        text.putArray("old_ids").add(0).add("1").add(4);
        assertRefused(tmp, text, "old_ids[1]");
        Files.writeString(tmp.resolve("garbage.json"), "{\"format\": ");
        assertThrows(TrimException.class, () -> IdMapping.read(tmp.resolve("garbage.json")));
        TrimException missing = assertThrows(TrimException.class, () -> IdMapping.read(tmp.resolve("nope.json")));
        assertTrue(missing.getMessage().contains("nope.json"), missing.getMessage());
    }

    private static void assertRefused(Path tmp, ObjectNode json, String expected) throws Exception {
        Path file = tmp.resolve("m.json");
        Files.writeString(file, json.toString());
        TrimException e = assertThrows(TrimException.class, () -> IdMapping.read(file));
        assertTrue(e.getMessage().contains(expected) && e.getMessage().contains("m.json"), e.getMessage());
    }
}
