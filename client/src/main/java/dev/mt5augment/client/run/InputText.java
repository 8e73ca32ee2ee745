package dev.mt5augment.client.run;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;

/**
 * One text to augment: a record's text, or one piece of it with {@code --split}.
 *
 * @param key    its identity across runs
 * @param text   the text as read (or the piece)
 * @param fields the record's fields, carried to the output rows
 */
record InputText(InputKey key, String text, LinkedHashMap<String, JsonNode> fields) {
}
