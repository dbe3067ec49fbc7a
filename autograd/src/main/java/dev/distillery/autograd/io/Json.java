package dev.distillery.autograd.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict reader and writer for the JSON subset a safetensors header uses (RFC 8259 grammar,
 * restricted): objects (as {@link LinkedHashMap}, keys unique), arrays ({@link List}), strings
 * with all escapes, integers ({@link Long}, optional minus, no leading zeros, no fraction or
 * exponent), and {@code true}/{@code false}/{@code null} (as {@link Boolean} and {@link #NULL}) so
 * that a misplaced one gets a precise message later. Whitespace is space, tab, CR, LF. Nesting
 * deeper than {@link #MAX_DEPTH}, arrays longer than {@link #MAX_ARRAY_ELEMENTS}, objects larger
 * than {@link #MAX_OBJECT_MEMBERS}, strings longer than {@link #MAX_STRING_CHARS} and anything after the top-level value but whitespace are
 * rejected while parsing, so a hostile header costs time and memory linear in its size with a
 * small constant. Errors name the JSON path, e.g. {@code $["w"]["shape"][1]}.
 */
final class Json {
    /** Header object, entry object, shape or offsets array. */
    static final int MAX_DEPTH = 3;
    /**
     * The longest array: a header's arrays are shapes (at most {@link HeaderParser#MAX_RANK}
     * dimensions) and offset pairs, so a longer one is refused before it is stored (a 100 MB
     * shape would otherwise cost gigabytes of boxed numbers before the rank check).
     */
    static final int MAX_ARRAY_ELEMENTS = HeaderParser.MAX_RANK;
    /**
     * The most members of one object: the header's tensors (plus {@code __metadata__}) or the
     * metadata's keys. Models have hundreds to a few thousand tensors per file; the bound keeps
     * a 10 MB header of empty tensors from costing seconds before it is refused.
     */
    static final int MAX_OBJECT_MEMBERS = 65_536;
    /** The longest string (tensor names, metadata keys and values): 1 Mi characters. */
    static final int MAX_STRING_CHARS = 1 << 20;
    /** The JSON {@code null}, distinct from a missing key. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private final String text;
    private int pos;

    private Json(String text) {
        this.text = text;
    }

    /** Parses one JSON value that fills {@code text} (surrounding whitespace allowed). */
    static Object parse(String text) throws SafetensorsException {
        Json p = new Json(text);
        p.skipWhitespace();
        Object value = p.value("$", 0);
        p.skipWhitespace();
        if (p.pos != text.length()) {
            throw p.error("$", "trailing characters after the header object (only space padding may follow)");
        }
        return value;
    }

    /** Names a parsed value's type for messages. */
    static String typeName(Object v) {
        if (v instanceof Map) {
            return "object";
        } else if (v instanceof List) {
            return "array";
        } else if (v instanceof String) {
            return "string";
        } else if (v instanceof Long) {
            return "integer";
        } else if (v instanceof Boolean) {
            return "boolean";
        }
        return "null";
    }

    private Object value(String path, int depth) throws SafetensorsException {
        if (pos >= text.length()) {
            throw error(path, "unexpected end of header, expected a value");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object(path, depth + 1);
            case '[':
                return array(path, depth + 1);
            case '"':
                return string(path);
            case 't':
                return literal(path, "true", Boolean.TRUE);
            case 'f':
                return literal(path, "false", Boolean.FALSE);
            case 'n':
                return literal(path, "null", NULL);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return integer(path);
                }
                throw error(path, "unexpected character '" + c + "', expected a JSON value");
        }
    }

    private Map<String, Object> object(String path, int depth) throws SafetensorsException {
        checkDepth(path, depth);
        pos++;
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (map.size() == MAX_OBJECT_MEMBERS) {
                throw error(path, "object of more than " + MAX_OBJECT_MEMBERS + " members (tensors or metadata keys)");
            }
            if (peek() != '"') {
                throw error(path, "expected a string key");
            }
            String key = string(path);
            String child = path + "[" + quote(key) + "]";
            if (map.containsKey(key)) {
                throw error(child, "duplicate key " + quote(key) + "; each key may appear once");
            }
            skipWhitespace();
            expect(path, ':');
            skipWhitespace();
            map.put(key, value(child, depth));
            skipWhitespace();
            char c = next(path);
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                throw error(path, "expected ',' or '}' in object, found '" + c + "'");
            }
        }
    }

    private List<Object> array(String path, int depth) throws SafetensorsException {
        checkDepth(path, depth);
        pos++;
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipWhitespace();
            if (list.size() == MAX_ARRAY_ELEMENTS) {
                throw error(path, "array of more than " + MAX_ARRAY_ELEMENTS + " elements; header arrays are shapes"
                        + " (at most " + HeaderParser.MAX_RANK + " dimensions) and [begin, end] offsets");
            }
            list.add(value(path + "[" + list.size() + "]", depth));
            skipWhitespace();
            char c = next(path);
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                throw error(path, "expected ',' or ']' in array, found '" + c + "'");
            }
        }
    }

    private String string(String path) throws SafetensorsException {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = next(path);
            if (c == '"') {
                return sb.toString();
            }
            if (sb.length() == MAX_STRING_CHARS) {
                throw error(path, "string longer than " + MAX_STRING_CHARS + " characters");
            }
            if (c < 0x20) {
                throw error(path, "unescaped control character U+" + String.format("%04X", (int) c) + " in string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = next(path);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> sb.append(unicodeEscape(path));
                default -> throw error(path, "invalid escape '\\" + e + "' in string");
            }
        }
    }

    /** Reads the four hex digits after {@code \\u}, joining a surrogate pair into two chars. */
    private String unicodeEscape(String path) throws SafetensorsException {
        char c = (char) hex4(path);
        if (Character.isLowSurrogate(c)) {
            throw error(path, "lone low surrogate \\u" + String.format("%04X", (int) c));
        }
        if (!Character.isHighSurrogate(c)) {
            return String.valueOf(c);
        }
        // A lone surrogate cannot be encoded back to UTF-8, so such a name could not round-trip.
        if (!text.startsWith("\\u", pos)) {
            throw error(path, "high surrogate \\u" + String.format("%04X", (int) c) + " not followed by a low one");
        }
        pos += 2;
        char low = (char) hex4(path);
        if (!Character.isLowSurrogate(low)) {
            throw error(path, "high surrogate \\u" + String.format("%04X", (int) c) + " not followed by a low one");
        }
        return new String(new char[] {c, low});
    }

    private int hex4(String path) throws SafetensorsException {
        if (pos + 4 > text.length()) {
            throw error(path, "truncated \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            char h = text.charAt(pos++);
            int d = h < 128 ? Character.digit(h, 16) : -1;
            if (d < 0) {
                throw error(path, "invalid hex digit in \\u escape");
            }
            v = v * 16 + d;
        }
        return v;
    }

    private Long integer(String path) throws SafetensorsException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        int digits = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos)) && text.charAt(pos) < 128) {
            pos++;
        }
        if (pos == digits) {
            throw error(path, "'-' must be followed by digits");
        }
        if (pos < text.length() && (text.charAt(pos) == '.' || text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            throw error(path, "number " + numberText(start) + " is not an integer; shapes and offsets are integers");
        }
        if (text.charAt(digits) == '0' && pos - digits > 1) {
            throw error(path, "number " + text.substring(start, pos) + " has a leading zero");
        }
        try {
            return Long.parseLong(text.substring(start, pos));
        } catch (NumberFormatException e) {
            throw error(path, "integer " + text.substring(start, pos) + " does not fit in 64 bits");
        }
    }

    private String numberText(int start) {
        int end = pos;
        while (end < text.length() && "0123456789.eE+-".indexOf(text.charAt(end)) >= 0) {
            end++;
        }
        return text.substring(start, end);
    }

    private Object literal(String path, String word, Object value) throws SafetensorsException {
        if (!text.startsWith(word, pos)) {
            throw error(path, "unexpected characters, expected a JSON value");
        }
        pos += word.length();
        return value;
    }

    private void checkDepth(String path, int depth) throws SafetensorsException {
        if (depth > MAX_DEPTH) {
            throw error(path, "nesting deeper than " + MAX_DEPTH + " levels (header object > entry > array)");
        }
    }

    private void expect(String path, char c) throws SafetensorsException {
        char got = next(path);
        if (got != c) {
            throw error(path, "expected '" + c + "', found '" + got + "'");
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private char next(String path) throws SafetensorsException {
        if (pos >= text.length()) {
            throw error(path, "unexpected end of header");
        }
        return text.charAt(pos++);
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private SafetensorsException error(String path, String problem) {
        return new SafetensorsException("invalid header JSON at " + path + " (character " + pos + "): " + problem);
    }

    /**
     * {@code s} as a JSON string literal: quote, backslash and control characters escaped, all
     * else literal (the header is UTF-8).
     *
     * @throws IllegalArgumentException if s holds an unpaired surrogate, which UTF-8 cannot encode
     */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1));
                if (!paired) {
                    throw new IllegalArgumentException("unpaired surrogate at index " + i + " of " + s);
                }
                sb.append(c).append(s.charAt(++i));
            } else if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
