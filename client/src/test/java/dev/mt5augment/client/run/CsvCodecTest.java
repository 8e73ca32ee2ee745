package dev.mt5augment.client.run;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** RFC 4180 records: splitting bytes into records, fields in and out. */
class CsvCodecTest {

    private static List<String> parse(String record) throws CsvCodec.MalformedRecordException {
        return CsvCodec.parse(record, ',');
    }

    @Test
    void readsQuotedFieldsWithDelimitersQuotesAndLineBreaks() throws Exception {
        assertEquals(List.of("a", "b,c", "say \"hi\"", "line1\nline2", ""), parse("a,\"b,c\",\"say \"\"hi\"\"\",\"line1\nline2\","));
        assertEquals(List.of(""), parse(""));
        assertEquals(List.of("", ""), parse(","));
        assertEquals(List.of("ab\"c"), parse("ab\"c"), "a stray quote inside an unquoted field is kept");
        assertEquals(List.of("今天", "天气，很好"), parse("今天,\"天气，很好\""));
    }

    @Test
    void refusesBrokenQuoting() {
        var open = assertThrows(CsvCodec.MalformedRecordException.class, () -> parse("a,\"never closed"));
        assertTrue(open.getMessage().contains("never closed"), open.getMessage());
        var after = assertThrows(CsvCodec.MalformedRecordException.class, () -> parse("\"ab\"c,d"));
        assertTrue(after.getMessage().contains("after the closing quote"), after.getMessage());
    }

    @Test
    void writesWhatItReads() throws Exception {
        List<String> fields = List.of("plain", "with,comma", "with \"quote\"", "two\r\nlines", "", " spaced ", "标签");
        StringBuilder sb = new StringBuilder();
        CsvCodec.write(fields, ',', sb);
        assertEquals("plain,\"with,comma\",\"with \"\"quote\"\"\",\"two\r\nlines\",, spaced ,标签", sb.toString());
        assertEquals(fields, parse(sb.toString()));
        StringBuilder tsv = new StringBuilder();
        CsvCodec.write(List.of("a\tb", "c,d"), '\t', tsv);
        assertEquals("\"a\tb\"\tc,d", tsv.toString());
    }

    @Test
    void splitterKeepsQuotedLineBreaksDropsCrAndReportsLinesAndOffsets() throws IOException {
        String text = "h1,h2\r\n\"a\nb\",c\r\nd,e\nlast,unterminated";
        RecordSplitter s = new RecordSplitter(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), true, 1000);
        List<RecordSplitter.Record> records = new ArrayList<>();
        for (var r = s.next(); r != null; r = s.next()) records.add(r);
        assertEquals(4, records.size());
        assertEquals("h1,h2", new String(records.get(0).bytes(), StandardCharsets.UTF_8));
        assertEquals("\"a\nb\",c", new String(records.get(1).bytes(), StandardCharsets.UTF_8));
        assertEquals(2, records.get(1).firstLine());
        assertEquals(4, records.get(2).firstLine(), "the quoted line break counts as a line");
        assertEquals(7 + 9, records.get(1).endOffset());
        assertTrue(records.get(2).terminated());
        assertFalse(records.get(3).terminated());
    }

    @Test
    void anOverlongRecordIsCountedNotKept() throws IOException {
        String big = "\"" + "x".repeat(5000) + "\n" + "y".repeat(100); // an unclosed quote swallows the rest
        RecordSplitter s = new RecordSplitter(new ByteArrayInputStream(("h\n" + big).getBytes(StandardCharsets.UTF_8)), true, 100);
        assertEquals("h", new String(s.next().bytes(), StandardCharsets.UTF_8));
        RecordSplitter.Record r = s.next();
        assertNull(r.bytes());
        assertEquals(big.length(), r.length());
        assertNull(s.next());
    }

    @Test
    void textSplitterSplitsOnTheChineseCommasOnly() {
        assertEquals(List.of("苹果", "香蕉", "橙子, 柠檬"), TextSplitter.split(" 苹果、香蕉，，橙子, 柠檬 、 "));
        assertEquals(List.of(), TextSplitter.split("、，"));
    }
}
