package dev.distillery.proptest;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.StringJoiner;

/** Readable text for counterexamples: arrays of any kind and depth print their elements. */
final class Show {
    /** Longest text printed for one value in a failure report. */
    static final int MAX_CHARS = 4000;

    private Show() {
    }

    static String value(Object v) {
        if (v == null) {
            return "null";
        }
        if (v.getClass().isArray()) {
            StringJoiner out = new StringJoiner(", ", "[", "]");
            for (int i = 0, n = Array.getLength(v); i < n; i++) {
                out.add(value(Array.get(v, i)));
            }
            return out.toString();
        }
        if (v instanceof Collection<?> c) {
            StringJoiner out = new StringJoiner(", ", "[", "]");
            c.forEach(e -> out.add(value(e)));
            return out.toString();
        }
        if (v instanceof CharSequence s) {
            return "\"" + s + "\"";
        }
        return String.valueOf(v);
    }

    /** {@link #value}, cut to {@link #MAX_CHARS} characters with a note of how much was left out. */
    static String bounded(Object v) {
        String s = value(v);
        return s.length() <= MAX_CHARS ? s
                : s.substring(0, MAX_CHARS) + "... (" + (s.length() - MAX_CHARS) + " more characters)";
    }
}
