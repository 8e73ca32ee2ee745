package dev.mt5augment.models.checkpoint;

/** A checkpoint file is missing, corrupt, hostile, or does not fit the config. The message names file and tensor. */
public class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
