package dev.mt5augment.client.run;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code --split}: as the seed's batch box did, one line may hold several texts separated by the
 * Chinese enumeration comma 、 or the full-width comma ，. Pieces are trimmed; empty ones dropped.
 */
final class TextSplitter {

    private TextSplitter() {
    }

    static List<String> split(String line) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= line.length(); i++) {
            if (i == line.length() || line.charAt(i) == '、' || line.charAt(i) == '，') {
                String piece = line.substring(start, i).strip();
                if (!piece.isEmpty()) pieces.add(piece);
                start = i + 1;
            }
        }
        return pieces;
    }
}
