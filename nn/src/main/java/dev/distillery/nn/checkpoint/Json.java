package dev.distillery.nn.checkpoint;

import dev.distillery.autograd.io.PrintableText;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The JSON a checkpoint needs (RFC 8259): objects ({@link LinkedHashMap}, order kept), arrays
 * ({@link List}), strings, numbers (integers without fraction or exponent read as {@link Long},
 * so 64-bit seeds and RNG positions round-trip exactly; others as {@link Double}), booleans and
 * null. Doubles are written with {@link Double#toString}, which round-trips every finite value;
 * non-finite numbers are rejected (JSON has none). Objects are written with their keys sorted, so
 * equal values give equal bytes. Reading is strict and bounded (see {@link #parse}).
 */
public final class Json {
    private final String text;
    private int pos;

    private Json(String text) {
        this.text = text;
    }

    // ---------------------------------------------------------------- writing

    /** The value as indented JSON text. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb, "");
        return sb.append('\n').toString();
    }

    private static void write(Object v, StringBuilder sb, String indent) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String) {
            string((String) v, sb);
        } else if (v instanceof Boolean || v instanceof Long || v instanceof Integer) {
            sb.append(v);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("JSON cannot hold the number " + d);
            }
            sb.append(d);
        } else if (v instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) v;
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append("{\n");
            String inner = indent + "  ";
            int i = 0;
            for (Map.Entry<String, ?> e : sorted(m).entrySet()) {
                sb.append(inner);
                string(e.getKey(), sb);
                sb.append(": ");
                write(e.getValue(), sb, inner);
                sb.append(++i < m.size() ? ",\n" : "\n");
            }
            sb.append(indent).append('}');
        } else if (v instanceof List) {
            List<?> l = (List<?>) v;
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                write(l.get(i), sb, indent);
                if (i + 1 < l.size()) {
                    sb.append(", ");
                }
            }
            sb.append(']');
        } else {
            throw new IllegalArgumentException("JSON cannot hold a " + v.getClass().getName());
        }
    }

    /**
     * The map's entries by key: files written from equal values are equal bytes whatever map
     * type the caller used ({@code Map.of} and {@code HashMap} iterate in an order that can
     * change from one JVM start to the next).
     */
    private static TreeMap<String, Object> sorted(Map<?, ?> m) {
        TreeMap<String, Object> out = new TreeMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (out.put(String.valueOf(e.getKey()), e.getValue()) != null) {
                throw new IllegalArgumentException("two keys of a JSON object read " + e.getKey());
            }
        }
        return out;
    }

    private static void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }

    // ---------------------------------------------------------------- reading

    /** Deepest nesting of arrays and objects a document may have; checkpoints and configs use 3. */
    public static final int MAX_DEPTH = 64;
    /** Longest string, in characters. */
    public static final int MAX_STRING_CHARS = 1 << 20;
    /** Largest JSON file {@link #read(Path)} accepts (1 MiB); the files it reads are a few kilobytes. */
    public static final long MAX_FILE_BYTES = 1L << 20;
    /** RFC 8259 numbers: no leading zeros, no '+', no bare '.', no NaN or Infinity. */
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

    /**
     * Parses the JSON file {@code file} (UTF-8).
     *
     * @throws IOException              if it cannot be read, or is over {@link #MAX_FILE_BYTES}
     * @throws IllegalArgumentException if it is not JSON within the bounds of {@link #parse}
     */
    public static Object read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new IOException(file + " is " + size + " bytes; the JSON files read here are at most " + MAX_FILE_BYTES
                    + " bytes (is it the right file?)");
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Parses one JSON value filling {@code text}. Nesting deeper than {@link #MAX_DEPTH} and
     * strings longer than {@link #MAX_STRING_CHARS} are refused, so any input costs time and
     * memory linear in its length and a small stack.
     *
     * @throws IllegalArgumentException naming the offset and the problem, for anything that is
     *                                  not such JSON (never another exception)
     */
    public static Object parse(String text) {
        Json p = new Json(text);
        p.ws();
        Object v = p.value(0);
        p.ws();
        if (p.pos != text.length()) {
            throw p.error("unexpected text after the value");
        }
        return v;
    }

    private Object value(int depth) {
        if (pos >= text.length()) {
            throw error("unexpected end of input");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{': return object(depth + 1);
            case '[': return array(depth + 1);
            case '"': return str();
            case 't': return literal("true", Boolean.TRUE);
            case 'f': return literal("false", Boolean.FALSE);
            case 'n': return literal("null", null);
            default: return number();
        }
    }

    private void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
    }

    private Map<String, Object> object(int depth) {
        checkDepth(depth);
        Map<String, Object> m = new LinkedHashMap<>();
        pos++;
        ws();
        if (peek('}')) {
            pos++;
            return m;
        }
        while (true) {
            ws();
            String k = str();
            ws();
            expect(':');
            ws();
            if (m.containsKey(k)) {
                throw error("duplicate key " + quoted(k));
            }
            m.put(k, value(depth));
            ws();
            if (peek(',')) {
                pos++;
            } else {
                expect('}');
                return m;
            }
        }
    }

    private List<Object> array(int depth) {
        checkDepth(depth);
        List<Object> l = new ArrayList<>();
        pos++;
        ws();
        if (peek(']')) {
            pos++;
            return l;
        }
        while (true) {
            ws();
            l.add(value(depth));
            ws();
            if (peek(',')) {
                pos++;
            } else {
                expect(']');
                return l;
            }
        }
    }

    private String str() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (sb.length() == MAX_STRING_CHARS) {
                throw error("string longer than " + MAX_STRING_CHARS + " characters");
            }
            if (c < 0x20) {
                throw error("unescaped control character in a string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= text.length()) {
                break;
            }
            char e = text.charAt(pos++);
            switch (e) {
                case 'n': sb.append('\n'); break;
                case 't': sb.append('\t'); break;
                case 'r': sb.append('\r'); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case '"': case '\\': case '/': sb.append(e); break;
                case 'u': sb.append(hex4()); break;
                default: throw error("invalid escape '\\" + e + "'");
            }
        }
        throw error("unterminated string");
    }

    private char hex4() {
        if (pos + 4 > text.length()) {
            throw error("truncated \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            char h = text.charAt(pos++);
            int d = h < 128 ? Character.digit(h, 16) : -1;
            if (d < 0) {
                throw error("invalid hex digit in a \\u escape");
            }
            v = v * 16 + d;
        }
        return (char) v;
    }

    private Object number() {
        int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        String s = text.substring(start, pos);
        if (s.isEmpty()) {
            throw error("unexpected character " + quoted(String.valueOf(text.charAt(start))));
        }
        if (!NUMBER.matcher(s).matches()) {
            throw error("bad number " + quoted(s));
        }
        try {
            if (INTEGER.matcher(s).matches()) {
                return Long.parseLong(s);
            }
        } catch (NumberFormatException e) {
            throw error("integer " + quoted(s) + " does not fit in 64 bits");
        }
        double d = Double.parseDouble(s);
        if (!Double.isFinite(d)) {
            throw error("number " + quoted(s) + " is out of the range of a double");
        }
        return d;
    }

    private Object literal(String word, Object v) {
        if (!text.startsWith(word, pos)) {
            throw error("expected " + word);
        }
        pos += word.length();
        return v;
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private void ws() {
        while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }

    /** A piece of the input for a message: quoted, made printable and short. */
    private static String quoted(String s) {
        return "\"" + PrintableText.of(s, 80) + "\"";
    }

    private IllegalArgumentException error(String msg) {
        return new IllegalArgumentException("JSON at offset " + pos + ": " + msg);
    }
}
