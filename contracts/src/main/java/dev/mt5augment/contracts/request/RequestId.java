package dev.mt5augment.contracts.request;

import java.util.regex.Pattern;

/** The syntax of a request id: 1 to 128 characters of {@code [A-Za-z0-9._:-]}. */
public final class RequestId {

    private static final Pattern VALID = Pattern.compile(RequestLimits.ID_PATTERN);

    private RequestId() {
    }

    public static boolean isValid(String id) {
        return id != null && id.length() <= RequestLimits.ID_MAX_CHARS && VALID.matcher(id).matches();
    }
}
