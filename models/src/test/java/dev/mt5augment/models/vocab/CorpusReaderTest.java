package dev.mt5augment.models.vocab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CorpusReaderTest {

    @Test
    void skipsBlankLinesAndStripsCarriageReturns(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("c.txt");
        Files.writeString(f, "一\r\n\n  \n二 three\r\n四", StandardCharsets.UTF_8);
        assertEquals(List.of("一", "二 three", "四"), readAll(f, 2));
    }

    @Test
    void cutsOverLongLinesWithoutSplittingSurrogatePairs(@TempDir Path tmp) throws Exception {
        int n = CorpusReader.MAX_SEGMENT_BYTES;
        // A 4-byte emoji (a surrogate pair in Java) straddles the cut point.
        String line = "a".repeat(n - 2) + "😀" + "b".repeat(n + 10);
        Path f = tmp.resolve("long.txt");
        Files.writeString(f, line + "\nend\n", StandardCharsets.UTF_8);
        List<String> segments = readAll(f, 100);
        assertEquals(String.join("", segments.subList(0, segments.size() - 1)), line);
        for (String s : segments) {
            assertTrue(s.getBytes(StandardCharsets.UTF_8).length <= n + 3, "segment of " + s.length());
            assertTrue(!Character.isHighSurrogate(s.charAt(s.length() - 1)), "cut inside a surrogate pair");
        }
        assertEquals("end", segments.get(segments.size() - 1));
    }

    @Test
    void refusesInvalidUtf8NamingTheLine(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("latin1.txt");
        Files.write(f, new byte[] {'o', 'k', '\n', 'o', 'k', '\n', 'c', 'a', 'f', (byte) 0xE9, '\n'});
        try (CorpusReader r = CorpusReader.open(f, "corpus")) {
            TrimException e = assertThrows(TrimException.class, () -> r.nextBatch(100, 1000));
            assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("UTF-8"), e.getMessage());
        }
    }

    @Test
    void refusesMissingFilesAndFolders(@TempDir Path tmp) {
        TrimException missing = assertThrows(TrimException.class, () -> CorpusReader.open(tmp.resolve("none.txt"), "corpus"));
        assertTrue(missing.getMessage().contains("none.txt"), missing.getMessage());
        assertThrows(TrimException.class, () -> CorpusReader.open(tmp, "corpus"));
    }

    private static List<String> readAll(Path f, int batch) {
        List<String> out = new ArrayList<>();
        try (CorpusReader r = CorpusReader.open(f, "corpus")) {
            for (List<String> b = r.nextBatch(batch, 1 << 20); !b.isEmpty(); b = r.nextBatch(batch, 1 << 20)) out.addAll(b);
        }
        return out;
    }
}
