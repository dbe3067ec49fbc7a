package dev.distillery.cli;

import dev.distillery.autograd.io.Json;
import dev.distillery.cli.error.CliException;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code --config file.json}: a JSON object whose keys are flag names without the dashes
 * ({@code {"method": "cd", "steps": 500, "quiet": true, "sample-steps": [1, 2]}}). It is expanded
 * in place into the flags it stands for, so flags written after it on the command line win. A
 * {@code true} value gives the bare flag, {@code false} omits it, a list is joined with commas, an
 * object gives the flag once per leaf with its dotted path ({@code --conf key=value}).
 */
final class ConfigFile {
    static final String FLAG = "--config";

    private ConfigFile() {
    }

    /** {@code args} with every {@code --config FILE} (or {@code --config=FILE}) replaced by its flags. */
    static String[] expand(String[] args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals(FLAG)) {
                if (i + 1 >= args.length) {
                    throw new CliException("--config needs a file: --config run.json");
                }
                out.addAll(flags(Path.of(args[++i])));
            } else if (a.startsWith(FLAG + "=")) {
                out.addAll(flags(Path.of(a.substring(FLAG.length() + 1))));
            } else {
                out.add(a);
            }
        }
        return out.toArray(String[]::new);
    }

    static List<String> flags(Path file) {
        Object tree;
        try {
            tree = Json.read(file);
        } catch (NoSuchFileException e) {
            throw new CliException("config file " + file + " does not exist; pass an existing JSON file to --config");
        } catch (IOException e) {
            throw new CliException("cannot read config file " + file + ": " + CliException.describe(e));
        } catch (RuntimeException e) {
            throw new CliException("config file " + file + " is not valid JSON (" + CliException.describe(e)
                    + "); write an object such as {\"steps\": 500}");
        }
        if (!(tree instanceof Map<?, ?> map)) {
            throw new CliException("config file " + file + " must hold a JSON object of flags, such as {\"steps\": 500}");
        }
        List<String> flags = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            String flag = key.startsWith("--") ? key : "--" + key;
            Object v = e.getValue();
            if (v instanceof Boolean b) {
                if (b) {
                    flags.add(flag);
                }
            } else if (v instanceof List<?> list) {
                flags.add(flag + "=" + list(file, key, list));
            } else if (v instanceof Map<?, ?> object) {
                entries(file, key, "", object, flags, flag);
            } else if (v == null) {
                throw new CliException("config file " + file + ": key '" + key + "' must be a string, number, boolean, list or object");
            } else {
                flags.add(flag + "=" + scalar(v));
            }
        }
        return flags;
    }

    /**
     * An object's leaves as one {@code flag path=value} each, the path its keys joined by dots:
     * {@code "conf": {"spark.executor.memory": "2g"}} is {@code --conf spark.executor.memory=2g},
     * {@code "settings": {"cd": {"mu": [0.95, 0.99]}}} is {@code --settings cd.mu=0.95,0.99}.
     */
    private static void entries(Path file, String key, String prefix, Map<?, ?> object, List<String> flags, String flag) {
        for (Map.Entry<?, ?> e : object.entrySet()) {
            String path = prefix + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?> inner) {
                entries(file, key, path + ".", inner, flags, flag);
            } else if (v instanceof List<?> list) {
                flags.add(flag + "=" + path + "=" + list(file, key, list));
            } else if (v == null || v instanceof Boolean) {
                throw new CliException("config file " + file + ": '" + path + "' under key '" + key
                        + "' must be a string, number, list or object");
            } else {
                flags.add(flag + "=" + path + "=" + scalar(v));
            }
        }
    }

    private static String list(Path file, String key, List<?> list) {
        for (Object o : list) {
            if (o == null || o instanceof Map || o instanceof List) {
                throw new CliException("config file " + file + ": the list of key '" + key + "' must hold strings, numbers or booleans");
            }
        }
        return String.join(",", list.stream().map(ConfigFile::scalar).toList());
    }

    private static String scalar(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(v);
    }
}
