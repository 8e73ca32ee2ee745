package dev.mt5augment.models.tokenizer.sentencepiece;

import dev.mt5augment.models.tokenizer.TokenizerException;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Just enough of the protobuf wire format to read a SentencePiece {@code ModelProto}: varints,
 * fixed32/fixed64, length-delimited fields and groups, with unknown fields skipped.
 *
 * <p>Every length is checked against the bytes left in the enclosing message before anything is
 * allocated, so a corrupt or hostile file fails with a {@link TokenizerException} that names the
 * file, the message path and the byte offset — never an {@code OutOfMemoryError} or an index error.
 *
 * <p>Threading: not thread-safe; one reader per parse.
 */
final class ProtoWireReader {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int START_GROUP = 3;
    static final int END_GROUP = 4;
    static final int FIXED32 = 5;

    /** Nested groups deeper than this are treated as corruption rather than recursed into. */
    private static final int MAX_GROUP_DEPTH = 64;

    private final byte[] data;
    private final int end;
    private final String source;
    private final String path;
    private int pos;

    private ProtoWireReader(byte[] data, int start, int end, String source, String path) {
        this.data = data;
        this.pos = start;
        this.end = end;
        this.source = source;
        this.path = path;
    }

    /** A reader over a whole file's bytes; {@code source} names the file in error messages. */
    static ProtoWireReader of(byte[] data, String source, String messageName) {
        return new ProtoWireReader(data, 0, data.length, source, messageName);
    }

    /** Absolute offset of the next byte in the file. */
    int position() {
        return pos;
    }

    boolean hasRemaining() {
        return pos < end;
    }

    /** Reads a field key: {@code fieldNumber << 3 | wireType}. */
    int readTag() {
        int at = pos;
        long key = readVarint();
        int wireType = (int) (key & 7);
        long field = key >>> 3;
        if (field == 0 || field > 0x1FFF_FFFFL) throw corrupt(at, "invalid field number " + field);
        if (wireType > FIXED32) throw corrupt(at, "invalid wire type " + wireType + " for field " + field);
        return (int) key;
    }

    static int fieldNumber(int tag) {
        return tag >>> 3;
    }

    static int wireType(int tag) {
        return tag & 7;
    }

    long readVarint() {
        int at = pos;
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) throw corrupt(at, "varint runs past the end of the message");
            byte b = data[pos++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) return result;
        }
        throw corrupt(at, "varint longer than 10 bytes");
    }

    /** An {@code int32} field: negative values arrive as 10-byte sign-extended varints. */
    int readInt32() {
        return (int) readVarint();
    }

    boolean readBool() {
        return readVarint() != 0;
    }

    float readFloat() {
        require(4, "fixed32");
        int bits = (data[pos] & 0xFF)
                | (data[pos + 1] & 0xFF) << 8
                | (data[pos + 2] & 0xFF) << 16
                | (data[pos + 3] & 0xFF) << 24;
        pos += 4;
        return Float.intBitsToFloat(bits);
    }

    /** A length-delimited field's payload, copied. */
    byte[] readBytes() {
        int length = readLength();
        byte[] out = new byte[length];
        System.arraycopy(data, pos, out, 0, length);
        pos += length;
        return out;
    }

    /** A length-delimited field as strict UTF-8; malformed bytes are an error naming {@code field}. */
    String readString(String field) {
        int at = pos;
        int length = readLength();
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data, pos, length));
            pos += length;
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw corrupt(at, field + " is not valid UTF-8");
        }
    }

    /** A reader over an embedded message; this reader moves past it. */
    ProtoWireReader readMessage(String childName) {
        int length = readLength();
        ProtoWireReader child = new ProtoWireReader(data, pos, pos + length, source, path + "." + childName);
        pos += length;
        return child;
    }

    /** Skips the value of a field whose key was just read. */
    void skipField(int tag) {
        skipField(tag, 0);
    }

    private void skipField(int tag, int depth) {
        switch (wireType(tag)) {
            case VARINT -> readVarint();
            case FIXED64 -> skip(8, "fixed64");
            case LENGTH_DELIMITED -> {
                int length = readLength(); // read first: `pos += readLength()` would add to the old pos
                pos += length;
            }
            case FIXED32 -> skip(4, "fixed32");
            case START_GROUP -> skipGroup(fieldNumber(tag), depth + 1);
            case END_GROUP -> throw corrupt(pos, "end-group for field " + fieldNumber(tag) + " without a start");
            default -> throw corrupt(pos, "invalid wire type " + wireType(tag));
        }
    }

    private void skipGroup(int field, int depth) {
        int at = pos;
        if (depth > MAX_GROUP_DEPTH) throw corrupt(at, "groups nested deeper than " + MAX_GROUP_DEPTH);
        while (true) {
            if (!hasRemaining()) throw corrupt(at, "group for field " + field + " is never closed");
            int tag = readTag();
            if (wireType(tag) == END_GROUP) {
                if (fieldNumber(tag) != field) {
                    throw corrupt(pos, "group for field " + field + " closed by field " + fieldNumber(tag));
                }
                return;
            }
            skipField(tag, depth);
        }
    }

    private int readLength() {
        int at = pos;
        long length = readVarint();
        long left = end - pos;
        if (length < 0 || length > left) {
            throw corrupt(at, "length " + Long.toUnsignedString(length) + " exceeds the " + left + " bytes left in " + path);
        }
        return (int) length;
    }

    private void skip(int count, String what) {
        require(count, what);
        pos += count;
    }

    private void require(int count, String what) {
        if (end - pos < count) {
            throw corrupt(pos, what + " needs " + count + " bytes, " + (end - pos) + " left in " + path);
        }
    }

    /** An error naming the file, the message path and the absolute byte offset. */
    TokenizerException corrupt(int at, String what) {
        return new TokenizerException(source + ": corrupt SentencePiece model at byte " + at + " (" + path + "): " + what);
    }
}
