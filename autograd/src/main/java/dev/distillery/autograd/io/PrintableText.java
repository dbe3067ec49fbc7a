package dev.distillery.autograd.io;

/**
 * Makes text from an untrusted file safe to print on one terminal line: control characters
 * (C0, DEL, C1), line and paragraph separators and bidirectional overrides are shown as
 * {@code \\uXXXX} escapes, so a file cannot move the cursor, recolour the terminal, split a
 * message over several lines or reorder it; and the text is cut to a length a person can read,
 * so a 15 MB tensor name cannot become a 15 MB error message.
 */
public final class PrintableText {
    /** Length of an error message shown to a user; longer ones are cut in the middle of nothing. */
    public static final int MESSAGE_CHARS = 1000;

    private PrintableText() {
    }

    /** {@code text} escaped and cut to {@link #MESSAGE_CHARS}; {@code null} stays {@code null}. */
    public static String of(String text) {
        return of(text, MESSAGE_CHARS);
    }

    /**
     * {@code text} escaped and, when longer than {@code maxChars} after escaping, cut there with
     * a note of how much was left out.
     */
    public static String of(String text, int maxChars) {
        if (text == null) {
            return null;
        }
        // escaping first, so the cut never splits an escape and the bound holds for the output
        StringBuilder sb = new StringBuilder(Math.min(text.length(), maxChars) + 16);
        int i = 0;
        for (; i < text.length() && sb.length() < maxChars; i++) {
            char c = text.charAt(i);
            if (unsafe(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (i < text.length()) {
            sb.append("... (").append(text.length() - i).append(" more characters)");
        }
        return sb.toString();
    }

    private static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }
}
