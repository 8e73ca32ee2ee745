package dev.mt5augment.client.run;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class AnsweredInputsTest {

    @Test
    void keysRoundTripThroughTheirTextForm() {
        InputKey k = InputKey.of(12, 3, "今天天气很好");
        assertTrue(k.toString().matches("12\\.3:[0-9a-f]{8}"), k.toString());
        assertEquals(k, InputKey.parse(k.toString()).orElseThrow());
        assertTrue(InputKey.parse("12:abc").isEmpty());
        assertTrue(InputKey.parse(null).isEmpty());
        assertNotEquals(InputKey.of(12, 3, "a").hash(), InputKey.of(12, 3, "b").hash());
    }

    @Test
    void findsAnsweredKeysInAnyOrderAndTellsAChangedTextApart() {
        List<InputKey> keys = new ArrayList<>();
        for (int line = 1; line <= 5_000; line += 2) keys.add(InputKey.of(line, line % 3, "t" + line));
        // Two runs' rows: a resumed run appends later lines after retried earlier ones.
        Collections.shuffle(keys, new Random(7));
        AnsweredInputs a = new AnsweredInputs();
        for (InputKey k : keys) {
            a.add(k);
            a.add(k); // rows of one text are adjacent: counted once
        }
        a.seal();
        assertEquals(keys.size(), a.size());
        for (InputKey k : keys) assertEquals(AnsweredInputs.Verdict.ANSWERED, a.check(k));
        assertEquals(AnsweredInputs.Verdict.NEW, a.check(InputKey.of(2, 2, "t2")));
        assertEquals(AnsweredInputs.Verdict.CHANGED, a.check(InputKey.of(3, 0, "another text")));
        assertEquals(AnsweredInputs.Verdict.NEW, AnsweredInputs.none().check(InputKey.of(1, 0, "x")));
    }
}
