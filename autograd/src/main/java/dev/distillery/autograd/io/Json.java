package dev.distillery.autograd.io;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
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
 * The project's one JSON reader and writer (RFC 8259), used for safetensors headers, checkpoints,
 * configs, run records and reports.
 *
 * <p><b>Reading</b> is strict and bounded: objects ({@link LinkedHashMap}, order kept, keys
 * unique), arrays ({@link List}), strings with all escapes (a surrogate escape must be a whole
 * pair), numbers (integers without fraction or exponent as {@link Long}, so 64-bit seeds and RNG
 * positions round-trip exactly; others as {@link Double}; no leading zeros, no '+', no NaN or
 * Infinity), booleans, and {@code null} (as Java {@code null}). Whitespace is space, tab, CR, LF;
 * anything after the top-level value but whitespace is refused. The {@link Limits} bound nesting
 * depth, string length, array length and object size while parsing, so any input costs time and
 * memory linear in its length and a small stack. An error is one {@link IllegalArgumentException}
 * naming the JSON path ({@code $["w"]["shape"][1]}), the character offset and the problem, with
 * every piece of the input in it made printable ({@link PrintableText}: no control characters).
 *
 * <p><b>Writing</b>: {@link #write} gives indented text with every object's keys sorted, so equal
 * values give equal bytes whatever map type the caller used; doubles are written with
 * {@link Double#toString} (which round-trips every finite value) and non-finite numbers are refused
 * (JSON has none). {@link #string} and {@link #number} are the pieces for documents written by hand.
 *
 * <p><b>Records</b>: {@link #toTree} and {@link #fromTree} map a record to and from the tree, through
 * the canonical constructor so a record's own validation runs; a missing or unknown field is an
 * error naming it.
 */
public final class Json {
    /**
     * What a parse accepts.
     *
     * @param subject what the text is, for messages ("header"; empty for a plain document)
     * @param maxDepth deepest nesting of arrays and objects
     * @param maxArrayElements longest array
     * @param maxObjectMembers most members of one object
     * @param maxStringChars longest string, in characters
     * @param integersOnly whether a number with a fraction or exponent is refused
     */
    public record Limits(String subject, int maxDepth, int maxArrayElements, int maxObjectMembers, int maxStringChars,
                         boolean integersOnly) {
    }

    /** Deepest nesting of arrays and objects a document may have; checkpoints and configs use 3. */
    public static final int MAX_DEPTH = 64;
    /** Longest string, in characters: 1 Mi. */
    public static final int MAX_STRING_CHARS = 1 << 20;
    /** Largest JSON file {@link #read(Path)} accepts (1 MiB); the files it reads are a few kilobytes. */
    public static final long MAX_FILE_BYTES = 1L << 20;
    /** The bounds of {@link #parse(String)}: configs, checkpoints, run records. */
    public static final Limits DOCUMENT = new Limits("", MAX_DEPTH, Integer.MAX_VALUE, Integer.MAX_VALUE,
            MAX_STRING_CHARS, false);

    /** RFC 8259 numbers: no leading zeros, no '+', no bare '.', no NaN or Infinity. */
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
    /** Longest piece of the input quoted in a message. */
    private static final int QUOTED_CHARS = 80;

    private final String text;
    private final Limits limits;
    private int pos;

    private Json(String text, Limits limits) {
        this.text = text;
        this.limits = limits;
    }

    // ---------------------------------------------------------------- reading

    /**
     * Parses the JSON file {@code file} (UTF-8) within {@link #DOCUMENT}'s bounds.
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
     * Parses one JSON value filling {@code text} within {@link #DOCUMENT}'s bounds (nesting at most
     * {@link #MAX_DEPTH}, strings at most {@link #MAX_STRING_CHARS}).
     *
     * @throws IllegalArgumentException naming the path, offset and problem, for anything that is
     *                                  not such JSON (never another exception)
     */
    public static Object parse(String text) {
        return parse(text, DOCUMENT);
    }

    /** Parses one JSON value filling {@code text} (surrounding whitespace allowed) within {@code limits}. */
    public static Object parse(String text, Limits limits) {
        Json p = new Json(text, limits);
        p.ws();
        Object v = p.value("$", 0);
        p.ws();
        if (p.pos != text.length()) {
            throw p.error("$", "trailing characters after the top-level value (only whitespace may follow)");
        }
        return v;
    }

    /** Names a parsed value's type for messages. */
    public static String typeName(Object v) {
        if (v instanceof Map) {
            return "object";
        } else if (v instanceof List) {
            return "array";
        } else if (v instanceof String) {
            return "string";
        } else if (v instanceof Long) {
            return "integer";
        } else if (v instanceof Double) {
            return "number";
        } else if (v instanceof Boolean) {
            return "boolean";
        }
        return "null";
    }

    private Object value(String path, int depth) {
        if (pos >= text.length()) {
            throw error(path, "unexpected end of " + subject() + ", expected a value");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{': return object(path, depth + 1);
            case '[': return array(path, depth + 1);
            case '"': return str(path);
            case 't': return literal(path, "true", Boolean.TRUE);
            case 'f': return literal(path, "false", Boolean.FALSE);
            case 'n': return literal(path, "null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number(path);
                }
                throw error(path, "unexpected character " + quoted(String.valueOf(c)) + ", expected a JSON value");
        }
    }

    private void checkDepth(String path, int depth) {
        if (depth > limits.maxDepth()) {
            throw error(path, "nesting deeper than " + limits.maxDepth() + " levels");
        }
    }

    private Map<String, Object> object(String path, int depth) {
        checkDepth(path, depth);
        Map<String, Object> m = new LinkedHashMap<>();
        pos++;
        ws();
        if (peek('}')) {
            pos++;
            return m;
        }
        while (true) {
            ws();
            if (m.size() == limits.maxObjectMembers()) {
                throw error(path, "object of more than " + limits.maxObjectMembers() + " members");
            }
            if (!peek('"')) {
                throw error(path, "expected a string key");
            }
            String k = str(path);
            String child = path + "[" + quoted(k) + "]";
            if (m.containsKey(k)) {
                throw error(child, "duplicate key " + quoted(k) + "; each key may appear once");
            }
            ws();
            expect(path, ':');
            ws();
            m.put(k, value(child, depth));
            ws();
            char c = next(path);
            if (c == '}') {
                return m;
            }
            if (c != ',') {
                throw error(path, "expected ',' or '}' in an object, found " + quoted(String.valueOf(c)));
            }
        }
    }

    private List<Object> array(String path, int depth) {
        checkDepth(path, depth);
        List<Object> l = new ArrayList<>();
        pos++;
        ws();
        if (peek(']')) {
            pos++;
            return l;
        }
        while (true) {
            ws();
            if (l.size() == limits.maxArrayElements()) {
                throw error(path, "array of more than " + limits.maxArrayElements() + " elements");
            }
            l.add(value(path + "[" + l.size() + "]", depth));
            ws();
            char c = next(path);
            if (c == ']') {
                return l;
            }
            if (c != ',') {
                throw error(path, "expected ',' or ']' in an array, found " + quoted(String.valueOf(c)));
            }
        }
    }

    private String str(String path) {
        expect(path, '"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = next(path);
            if (c == '"') {
                return sb.toString();
            }
            if (sb.length() == limits.maxStringChars()) {
                throw error(path, "string longer than " + limits.maxStringChars() + " characters");
            }
            if (c < 0x20) {
                throw error(path, "unescaped control character U+" + String.format("%04X", (int) c) + " in a string");
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
                default -> throw error(path, "invalid escape " + quoted("\\" + e) + " in a string");
            }
        }
    }

    /** Reads the four hex digits after {@code \\u}, joining a surrogate pair into two chars. */
    private String unicodeEscape(String path) {
        char c = (char) hex4(path);
        if (Character.isLowSurrogate(c)) {
            throw error(path, "lone low surrogate \\u" + String.format("%04X", (int) c));
        }
        if (!Character.isHighSurrogate(c)) {
            return String.valueOf(c);
        }
        // A lone surrogate cannot be encoded back to UTF-8, so such a string could not round-trip.
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

    private int hex4(String path) {
        if (pos + 4 > text.length()) {
            throw error(path, "truncated \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            char h = text.charAt(pos++);
            int d = h < 128 ? Character.digit(h, 16) : -1;
            if (d < 0) {
                throw error(path, "invalid hex digit in a \\u escape");
            }
            v = v * 16 + d;
        }
        return v;
    }

    private Object number(String path) {
        int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        String s = text.substring(start, pos);
        boolean integer = INTEGER.matcher(s).matches();
        if (limits.integersOnly() && !integer && s.matches("-?[0-9]+[.eE].*")) {
            throw error(path, "number " + s + " is not an integer; shapes and offsets are integers");
        }
        if (!NUMBER.matcher(s).matches()) {
            if (s.matches("-?0[0-9]+")) {
                throw error(path, "number " + s + " has a leading zero");
            }
            throw error(path, "bad number " + s);
        }
        if (integer) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw error(path, "integer " + s + " does not fit in 64 bits");
            }
        }
        double d = Double.parseDouble(s);
        if (!Double.isFinite(d)) {
            throw error(path, "number " + s + " is out of the range of a double");
        }
        return d;
    }

    private Object literal(String path, String word, Object v) {
        if (!text.startsWith(word, pos)) {
            throw error(path, "unexpected characters, expected a JSON value");
        }
        pos += word.length();
        return v;
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private char next(String path) {
        if (pos >= text.length()) {
            throw error(path, "unexpected end of " + subject());
        }
        return text.charAt(pos++);
    }

    private void expect(String path, char c) {
        char got = next(path);
        if (got != c) {
            throw error(path, "expected '" + c + "', found " + quoted(String.valueOf(got)));
        }
    }

    private void ws() {
        while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }

    /** A piece of the input for a message: quoted, made printable and short. */
    private static String quoted(String s) {
        return "\"" + PrintableText.of(s, QUOTED_CHARS) + "\"";
    }

    private IllegalArgumentException error(String path, String problem) {
        return new IllegalArgumentException("invalid " + (limits.subject().isEmpty() ? "" : limits.subject() + " ")
                + "JSON at " + path + " (character " + pos + "): " + problem);
    }

    private String subject() {
        return limits.subject().isEmpty() ? "input" : limits.subject();
    }

    // ---------------------------------------------------------------- writing

    /** The value as indented JSON text, keys sorted, ending with a newline. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb, "");
        return sb.append('\n').toString();
    }

    private static void write(Object v, StringBuilder sb, String indent) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String) {
            sb.append(string((String) v));
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
                sb.append(inner).append(string(e.getKey())).append(": ");
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

    /**
     * {@code s} as a quoted JSON string (RFC 8259 section 7); {@code null} as the literal
     * {@code null}. Quote, backslash and control characters are escaped ({@code \n \r \t \b \f} by
     * their short forms, the others as {@code \\u00XX}), and U+2028/U+2029 too so the text is also
     * valid JavaScript; everything else is written as is (the files are UTF-8).
     *
     * @throws IllegalArgumentException if s holds an unpaired surrogate, which UTF-8 cannot encode
     */
    public static String string(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1));
                if (!paired) {
                    throw new IllegalArgumentException("unpaired surrogate at index " + i + " of "
                            + PrintableText.of(s, QUOTED_CHARS));
                }
                b.append(c).append(s.charAt(++i));
                continue;
            }
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** A finite double in full (round-trip) precision ({@link #exact}); NaN and +-Infinity as {@code null}. */
    public static String number(double v) {
        return Double.isFinite(v) ? exact(v) : "null";
    }

    /**
     * The shortest text {@link Double#toString} gives when it parses back to {@code v}, else 17
     * significant digits (always enough for a double). JDK 17's {@code toString} is not always the
     * shortest (JDK-4511638, fixed in 19); the check makes the round trip a guarantee, not a hope.
     */
    public static String exact(double v) {
        String s = Double.toString(v);
        if (Double.parseDouble(s) == v) {
            return s;
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(17)).toString();
    }

    // ---------------------------------------------------------------- records

    /** The record as an ordered map of its components (records nested, enums by name, lists element-wise). */
    public static Map<String, Object> toTree(Record r) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            try {
                m.put(c.getName(), toValue(c.getAccessor().invoke(r)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + r, e);
            }
        }
        return m;
    }

    private static Object toValue(Object v) {
        if (v instanceof Record) {
            return toTree((Record) v);
        }
        if (v instanceof Enum) {
            return ((Enum<?>) v).name();
        }
        if (v instanceof List) {
            List<Object> out = new ArrayList<>();
            ((List<?>) v).forEach(x -> out.add(toValue(x)));
            return out;
        }
        return v;
    }

    /** A record of {@code type} from a map made by {@link #toTree}, through its canonical constructor. */
    public static <R extends Record> R fromTree(Map<?, ?> tree, Class<R> type) {
        RecordComponent[] comps = type.getRecordComponents();
        Object[] args = new Object[comps.length];
        Class<?>[] types = new Class<?>[comps.length];
        for (int i = 0; i < comps.length; i++) {
            RecordComponent c = comps[i];
            types[i] = c.getType();
            if (!tree.containsKey(c.getName())) {
                throw new IllegalArgumentException(type.getSimpleName() + ": config has no field '" + c.getName() + "'");
            }
            args[i] = fromValue(tree.get(c.getName()), c.getGenericType(), type.getSimpleName() + "." + c.getName());
        }
        for (Object k : tree.keySet()) {
            boolean known = false;
            for (RecordComponent c : comps) {
                known |= c.getName().equals(k);
            }
            if (!known) {
                throw new IllegalArgumentException(type.getSimpleName() + ": unknown config field '" + k + "'");
            }
        }
        try {
            Constructor<R> ctor = type.getDeclaredConstructor(types);
            return ctor.newInstance(args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new IllegalArgumentException(type.getSimpleName() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getName(), e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object fromValue(Object v, Type t, String where) {
        Class<?> raw = t instanceof ParameterizedType ? (Class<?>) ((ParameterizedType) t).getRawType() : (Class<?>) t;
        try {
            if (raw == int.class || raw == Integer.class) {
                return Math.toIntExact((Long) v);
            }
            if (raw == long.class || raw == Long.class) {
                return (Long) v;
            }
            if (raw == double.class || raw == Double.class) {
                return ((Number) v).doubleValue();
            }
            if (raw == boolean.class || raw == Boolean.class) {
                return (Boolean) v;
            }
            if (raw == String.class) {
                return (String) v;
            }
            if (raw.isEnum()) {
                return Enum.valueOf((Class<Enum>) raw, (String) v);
            }
            if (raw.isRecord()) {
                return fromTree((Map<?, ?>) v, (Class<Record>) raw);
            }
            if (raw == List.class) {
                Type elem = ((ParameterizedType) t).getActualTypeArguments()[0];
                List<Object> out = new ArrayList<>();
                int i = 0;
                for (Object x : (List<?>) v) {
                    out.add(fromValue(x, elem, where + "[" + i++ + "]"));
                }
                return out;
            }
        } catch (ClassCastException | ArithmeticException | IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": cannot read " + PrintableText.of(String.valueOf(v), QUOTED_CHARS)
                    + " as " + raw.getSimpleName(), e);
        }
        throw new IllegalArgumentException(where + ": unsupported config type " + t);
    }
}
