package io.sparkprop.cli;

import io.sparkprop.data.InputException;
import io.sparkprop.ml.Task;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * A job's settings: a properties file, then {@code --set key=value} overrides. Unknown keys and
 * values of the wrong type are errors that name the key (and the nearest known key).
 */
final class JobConfig {
    private final String name;
    private final String source;
    private final Map<String, String> values;

    private JobConfig(String name, String source, Map<String, String> values) {
        this.name = name;
        this.source = source;
        this.values = values;
    }

    static JobConfig load(Path file, List<String> overrides) {
        Properties props = new Properties();
        if (!Files.isRegularFile(file)) {
            throw new InputException("conf file " + file + ": no such file");
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new InputException("conf file " + file + ": cannot be read (" + e.getMessage() + ")", e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : props.stringPropertyNames()) {
            values.put(key, props.getProperty(key).trim());
        }
        for (String kv : overrides) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new InputException("--set " + kv + ": expected key=value");
            }
            values.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        String fileName = file.getFileName().toString();
        String name = fileName.endsWith(".properties") ? fileName.substring(0, fileName.length() - 11) : fileName;
        JobConfig config = new JobConfig(name, file.toString(), values);
        config.checkKeys();
        return config;
    }

    private void checkKeys() {
        List<String> known = ConfigKeys.allNames();
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw new InputException("unknown key '" + key + "' in " + source + "; did you mean '"
                        + ConfigKeys.nearest(key) + "'? (train --help-keys lists them all)");
            }
        }
        task(); // fails on an unknown task
        double f = getDouble("data.testFraction");
        if (!(f >= 0 && f < 1)) {
            throw new InputException("key data.testFraction: " + f + " is not in [0, 1)");
        }
        if (getInt("data.partitions") < 0) {
            throw new InputException("key data.partitions: must be >= 0");
        }
    }

    /** The job's name: the conf file's name without .properties. */
    String name() {
        return name;
    }

    String source() {
        return source;
    }

    boolean has(String key) {
        return values.containsKey(key) && !values.get(key).isEmpty();
    }

    /** The value, or the job key's default (with JOB replaced by the job's name). */
    String get(String key) {
        if (has(key)) {
            return values.get(key);
        }
        ConfigKeys.Key k = ConfigKeys.JOB_KEYS.get(key);
        if (k == null || k.defaultValue().startsWith("(")) {
            return null;
        }
        return k.defaultValue().replace("JOB", name);
    }

    String require(String key) {
        String v = get(key);
        if (v == null) {
            throw new InputException("key " + key + " is required in " + source);
        }
        return v;
    }

    double getDouble(String key) {
        String v = get(key);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException | NullPointerException e) {
            throw new InputException("key " + key + ": '" + v + "' is not a number");
        }
    }

    int getInt(String key) {
        String v = get(key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new InputException("key " + key + ": '" + v + "' is not a whole number");
        }
    }

    /** A comma-separated list; empty when the key is not set. */
    List<String> getList(String key) {
        String v = get(key);
        if (v == null || v.isBlank()) {
            return List.of();
        }
        return Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    /** What the job trains: the key {@code task}. */
    Task task() {
        try {
            return Task.fromParam(get("task"));
        } catch (IllegalArgumentException e) {
            throw new InputException("key task: " + e.getMessage());
        }
    }

    /** Sets every ML param the file names on the estimator, converting and checking each value. */
    void applyTo(Params estimator) {
        for (String key : ConfigKeys.paramKeys()) {
            if (!values.containsKey(key)) {
                continue;
            }
            Param<Object> param = estimator.getParam(key);
            Object value = convert(key, param, values.get(key));
            try {
                estimator.set(param, value);
            } catch (IllegalArgumentException e) {
                throw new InputException("key " + key + ": " + values.get(key) + " is out of range: " + param.doc());
            }
        }
    }

    private static Object convert(String key, Param<?> param, String raw) {
        try {
            if (param instanceof IntArrayParam) {
                String list = raw.replace("[", "").replace("]", "").trim();
                if (list.isEmpty()) {
                    throw new InputException("key " + key + ": empty; give at least one layer width, e.g. 64 or 256,128");
                }
                return Arrays.stream(list.split("[,\\s]+")).mapToInt(Integer::parseInt).toArray();
            }
            if (param instanceof DoubleArrayParam) {
                String list = raw.replace("[", "").replace("]", "").trim();
                if (list.isEmpty()) {
                    throw new InputException("key " + key + ": empty; give one number, or a list such as 0.3,0.1");
                }
                return Arrays.stream(list.split("[,\\s]+")).mapToDouble(Double::parseDouble).toArray();
            }
            if (param instanceof IntParam) {
                return Integer.parseInt(raw);
            }
            if (param instanceof LongParam) {
                return Long.parseLong(raw);
            }
            if (param instanceof DoubleParam) {
                return Double.parseDouble(raw);
            }
            if (param instanceof BooleanParam) {
                String b = raw.toLowerCase(Locale.ROOT);
                if (!b.equals("true") && !b.equals("false")) {
                    throw new InputException("key " + key + ": '" + raw + "' is not true or false");
                }
                return Boolean.parseBoolean(b);
            }
            return raw;
        } catch (NumberFormatException e) {
            throw new InputException("key " + key + ": '" + raw + "' is not a "
                    + (param instanceof DoubleParam ? "number" : param instanceof DoubleArrayParam ? "number list"
                    : "whole number" + (param instanceof IntArrayParam ? " list" : "")));
        }
    }
}
