package dev.mt5augment.models.generation;

/** Generation failed inside the engine (out of memory, a native error, a bad input id). */
public class GenerationException extends RuntimeException {
    public GenerationException(String message, Throwable cause) {
        super(message, cause);
    }

    public GenerationException(String message) {
        super(message);
    }
}
