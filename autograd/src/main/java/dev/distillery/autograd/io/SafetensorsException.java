package dev.distillery.autograd.io;

import java.io.IOException;

/**
 * A safetensors file that breaks the format: the message names the tensor or header field, the
 * problem, and what the format expects. Checked, and an {@link IOException}, because a bad file is
 * an input problem the caller must handle like a failed read, not a programming error. The message
 * quotes the file, so it is made printable and cut to a readable length ({@link PrintableText}).
 */
public final class SafetensorsException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A rejection with its full message. */
    public SafetensorsException(String message) {
        super(PrintableText.of(message));
    }

    /** A rejection caused by a lower-level failure (for example malformed UTF-8). */
    public SafetensorsException(String message, Throwable cause) {
        super(PrintableText.of(message), cause);
    }
}
