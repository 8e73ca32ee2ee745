package dev.mt5augment.contracts.codec;

import dev.mt5augment.contracts.error.ErrorCode;
import dev.mt5augment.contracts.error.InvalidRequestException;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a record value as UTF-8 and nothing else (RFC 8259 §8.1): no encoding detection, so
 * UTF-16 or Latin-1 payloads fail here with the offset of the first bad byte instead of parsing
 * into something else. Overlong forms, encoded surrogates and code points above U+10FFFF are
 * invalid. One leading byte order mark (EF BB BF) is accepted and skipped, as RFC 8259 allows,
 * because Windows tools write it; a BOM anywhere else is an ordinary U+FEFF character.
 */
final class StrictUtf8 {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private StrictUtf8() {
    }

    static boolean startsWithBom(byte[] bytes) {
        return bytes.length >= 3 && bytes[0] == BOM[0] && bytes[1] == BOM[1] && bytes[2] == BOM[2];
    }

    /** The text, or {@link ErrorCode#NOT_UTF8} naming the first invalid byte. */
    static String decode(byte[] bytes) {
        int start = startsWithBom(bytes) ? BOM.length : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length - start); // UTF-8 never yields more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) result = decoder.flush(out);
        if (result.isError()) {
            int at = in.position();
            throw new InvalidRequestException(ErrorCode.NOT_UTF8, null, String.format(
                    "the record is not valid UTF-8: byte %d (0x%02X) starts an invalid %d-byte sequence",
                    at, bytes[at] & 0xFF, result.length()));
        }
        return out.flip().toString();
    }

    /** Best-effort text for salvaging an id from a payload that failed {@link #decode}. */
    static String decodeLossy(byte[] bytes) {
        int start = startsWithBom(bytes) ? BOM.length : 0;
        return new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
    }
}
