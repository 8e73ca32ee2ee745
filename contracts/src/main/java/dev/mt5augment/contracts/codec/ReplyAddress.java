package dev.mt5augment.contracts.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.mt5augment.contracts.messaging.TopicNames;
import dev.mt5augment.contracts.request.RequestField;
import dev.mt5augment.contracts.request.RequestId;

import java.util.function.Predicate;

/**
 * Where an error reply for a refused record goes, read on a best-effort basis so that a producer
 * hears about a bad request instead of waiting for a timeout. Streams only the top level of the
 * payload up to the first syntax error (so {@code {"id":"a1","text":} still yields {@code a1});
 * a field given twice is ambiguous and ignored.
 *
 * @param id      the payload's {@code id} if it is a valid id, else the record key if that is one, else null
 * @param replyTo the payload's {@code reply_to} if it is a legal, allowed topic name, else null
 */
record ReplyAddress(String id, String replyTo) {

    static final ReplyAddress NONE = new ReplyAddress(null, null);

    static ReplyAddress fromKey(String recordKey) {
        return new ReplyAddress(RequestId.isValid(recordKey) ? recordKey : null, null);
    }

    static ReplyAddress salvage(JsonFactory factory, String text, String recordKey, Predicate<String> replyTopicAllowed) {
        String id = null;
        String replyTo = null;
        boolean idTwice = false;
        boolean replyToTwice = false;
        try (JsonParser p = factory.createParser(text)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if (value == JsonToken.VALUE_STRING && name.equals(RequestField.ID.wireName())) {
                        idTwice |= id != null;
                        id = p.getText();
                    } else if (value == JsonToken.VALUE_STRING && name.equals(RequestField.REPLY_TO.wireName())) {
                        replyToTwice |= replyTo != null;
                        replyTo = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
            }
        } catch (Exception e) {
            // Best effort: keep what was read before the error.
        }
        String replyId = !idTwice && RequestId.isValid(id) ? id : RequestId.isValid(recordKey) ? recordKey : null;
        boolean replyToUsable = !replyToTwice && TopicNames.isLegal(replyTo) && allowed(replyTopicAllowed, replyTo);
        return new ReplyAddress(replyId, replyToUsable ? replyTo : null);
    }

    private static boolean allowed(Predicate<String> policy, String topic) {
        try {
            return policy.test(topic);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
