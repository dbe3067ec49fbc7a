package dev.distillery.nn.checkpoint;

import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Config records to and from JSON trees, by their components: numbers, booleans, strings, enums
 * (by name), {@code List}s of those and nested records. Reading calls the canonical constructor,
 * so a record's own validation runs; a missing or unknown field is an error naming it.
 */
public final class RecordJson {
    private RecordJson() {
    }

    /** The record as an ordered map of its components. */
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

    /** A record of {@code type} from a map made by {@link #toTree}. */
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
            throw new IllegalArgumentException(where + ": cannot read " + v + " as " + raw.getSimpleName(), e);
        }
        throw new IllegalArgumentException(where + ": unsupported config type " + t);
    }
}
