package dev.mt5augment.models.tokenizer;

/**
 * A tokenizer file is missing, corrupt, hostile, or describes a tokenizer this engine cannot
 * reproduce exactly. The message names the file and, where it applies, the field or byte offset.
 */
public class TokenizerException extends RuntimeException {
    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
