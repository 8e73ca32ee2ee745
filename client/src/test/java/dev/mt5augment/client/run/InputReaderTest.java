package dev.mt5augment.client.run;

import dev.mt5augment.client.cli.UsageException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Every record of a hostile input yields an item: a record, a blank, or an unreadable with a code. */
class InputReaderTest {

    private static List<InputItem> read(InputFormat format, byte[] bytes) throws IOException {
        List<InputItem> items = new ArrayList<>();
        try (InputReader r = InputReader.open(new ByteArrayInputStream(bytes), format, "text", OutputLayout.RESERVED, 200)) {
            for (InputItem i = r.next(); i != null; i = r.next()) items.add(i);
        }
        return items;
    }

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            else out.writeBytes((byte[]) p);
        }
        return out.toByteArray();
    }

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final byte[] BAD_UTF8 = {(byte) 0xC3, (byte) 0x28};

    private static String code(InputItem i) {
        return ((InputItem.Unreadable) i).code();
    }

    @Test
    void textLines() throws IOException {
        List<InputItem> items = read(InputFormat.TXT, bytes(BOM, "今天天气很好\r\n\n   \n", BAD_UTF8, "\n", "x".repeat(300), "\nlast"));
        assertEquals(6, items.size());
        InputItem.Record first = (InputItem.Record) items.get(0);
        assertEquals("今天天气很好", first.text(), "BOM and CR removed");
        assertEquals(1, first.line());
        assertInstanceOf(InputItem.Blank.class, items.get(1));
        assertInstanceOf(InputItem.Blank.class, items.get(2));
        assertEquals("NOT_UTF8", code(items.get(3)));
        assertEquals(4, items.get(3).line());
        assertEquals("RECORD_TOO_LARGE", code(items.get(4)));
        assertEquals("last", ((InputItem.Record) items.get(5)).text());
        assertEquals(6, items.get(5).line());
    }

    @Test
    void csvCarriesEveryColumnAndReportsBadRecords() throws IOException {
        List<InputItem> items = read(InputFormat.CSV, bytes(BOM, "label,text,id\r\n",
                "pos,\"好, 很好\",1\r\n",
                "neg,\"多行\n文本\",2\r\n",
                "neg,too,many,fields\r\n",
                "x,\"unclosed,3\r\n"));
        InputItem.Record r = (InputItem.Record) items.get(0);
        assertEquals("好, 很好", r.text());
        assertEquals(List.of("label", "text", "id"), List.copyOf(r.fields().keySet()));
        assertEquals("pos", r.fields().get("label").textValue());
        assertEquals(2, r.line());
        assertEquals("多行\n文本", ((InputItem.Record) items.get(1)).text());
        assertEquals("MALFORMED_CSV", code(items.get(2)));
        assertEquals(5, items.get(2).line());
        assertEquals("MALFORMED_CSV", code(items.get(3)));
        assertEquals(4, items.size());
    }

    @Test
    void csvWithoutTheTextColumnOrWithAReservedNameIsAUsageError() {
        UsageException missing = assertThrows(UsageException.class, () -> read(InputFormat.CSV, bytes("a,b\n1,2\n")));
        assertTrue(missing.getMessage().contains("--column"), missing.getMessage());
        UsageException reserved = assertThrows(UsageException.class, () -> read(InputFormat.TSV, bytes("text\tvariant\n")));
        assertTrue(reserved.getMessage().contains("variant"), reserved.getMessage());
        assertThrows(UsageException.class, () -> read(InputFormat.CSV, bytes("")));
        assertThrows(UsageException.class, () -> read(InputFormat.CSV, bytes("text,text\n")));
    }

    @Test
    void jsonLines() throws IOException {
        List<InputItem> items = read(InputFormat.JSONL, bytes(
                "{\"text\":\"你好\",\"label\":{\"a\":[1,2]},\"n\":3}\n",
                "\n",
                "{\"text\":\"a\"} trailing\n",
                "[1,2]\n",
                "{\"txt\":\"typo\"}\n",
                "{\"text\":5}\n",
                "{\"text\":\"a\",\"text\":\"b\"}\n",
                "{\"text\":\"a\",\"variant\":\"clash\"}\n",
                "{\"text\":\"", BAD_UTF8, "\"}\n",
                "[".repeat(100) + "\n",
                "{\"text\":\"truncated"));
        InputItem.Record r = (InputItem.Record) items.get(0);
        assertEquals("你好", r.text());
        assertEquals("{\"a\":[1,2]}", r.fields().get("label").toString());
        assertInstanceOf(InputItem.Blank.class, items.get(1));
        assertEquals("MALFORMED_JSON", code(items.get(2)));
        assertEquals("MALFORMED_JSON", code(items.get(3)));
        assertEquals("MISSING_TEXT", code(items.get(4)));
        assertEquals("MISSING_TEXT", code(items.get(5)));
        assertEquals("MALFORMED_JSON", code(items.get(6)), "a duplicated field");
        assertEquals("FIELD_CLASH", code(items.get(7)));
        assertEquals("NOT_UTF8", code(items.get(8)));
        assertEquals("MALFORMED_JSON", code(items.get(9)), "nesting beyond the limit");
        assertEquals("MALFORMED_JSON", code(items.get(10)));
        assertEquals(11, items.size());
    }
}
