package io.sparkprop.cli;

import io.sparkprop.ml.FeedForwardParams;
import io.sparkprop.ml.ParamSpec;
import io.sparkprop.ml.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every key a job's properties file may hold, with its default and meaning. The model and
 * training keys are read from the ML params ({@link FeedForwardParams#ALL}: name, doc, default),
 * never listed here; the rest (the CLI-only keys below) say where data comes from and where
 * results go. {@code --help-keys} and README's key table are printed from {@link #all()}.
 */
final class ConfigKeys {

    record Key(String name, String defaultValue, String doc) {
    }

    static final Map<String, Key> JOB_KEYS = new LinkedHashMap<>();

    static {
        job("task", Task.CLASSIFICATION.paramName(), "classification (FeedForwardClassifier) or regression"
                + " (FeedForwardRegressor)");
        job("data.train", "(required)", "training data: a path Spark reads (local, hdfs://, s3a://), or bundled:NAME"
                + " for a dataset in the jar (digits, breast_cancer, diabetes)");
        job("data.test", "(none)", "test data; without it data.testFraction of the training rows is held out");
        job("data.validation", "(none)", "validation data scored after every epoch (progress line, metrics.jsonl,"
                + " charts); without it, validationFraction of the training rows");
        job("data.testFraction", "0.2", "share of the training rows held out as test data, chosen by the seed and"
                + " each row's identity (its content, or idCol), whatever the partitioning");
        job("data.format", "(from the path)", "csv, libsvm, parquet or idx; by default guessed from the path");
        job("data.label", "label", "the label column (CSV header name, Parquet column)");
        job("data.features", "features", "a Parquet vector column to use as features, if there is one");
        job("data.weight", "(none)", "a numeric column whose value weighs each training row (finite, >= 0; 0 leaves"
                + " the row out): the ML API's weightCol; not a feature. The test report is not weighted");
        job("data.categorical", "(none)", "columns to take as categories although they hold numbers (a list, e.g."
                + " zip,rooms); columns of text are categories anyway. Each is indexed and one-hot encoded by Spark's"
                + " StringIndexer and OneHotEncoder, fitted on the training rows and saved with the model; a value"
                + " unseen in training is the all-zero code. A text label is a class name");
        job("data.missing", "error", "empty or null cells: error (names file, line and column), drop (rows with one"
                + " are left out, and counted) or mean (numbers get the training mean, text its own '(missing)'"
                + " category; saved with the model). Rows without a label are left out under drop and mean");
        job("data.partitions", "0", "repartition the training data to this many partitions; 0 = as read");
        job("output.model", "models/JOB", "where the model is saved (Spark ML layout); JOB is the conf file's name");
        job("output.report", "reports/JOB", "where metrics.jsonl, the PNG charts and index.html go (a local path, or"
                + " hdfs://, s3a://, ...)");
    }

    private ConfigKeys() {
    }

    private static void job(String name, String defaultValue, String doc) {
        JOB_KEYS.put(name, new Key(name, defaultValue, doc));
    }

    /** The ML params a conf file may set, in the order the key table shows them. */
    static List<String> paramKeys() {
        List<String> names = new ArrayList<>();
        for (ParamSpec<?> spec : FeedForwardParams.ALL) {
            if (spec.isConfKey()) {
                names.add(spec.name());
            }
        }
        return names;
    }

    static List<String> allNames() {
        List<String> names = new ArrayList<>(JOB_KEYS.keySet());
        names.addAll(paramKeys());
        return names;
    }

    /**
     * Every key with its default and doc, for --help-keys and README's table. Where a param's
     * doc or default depends on the task, both are shown, classification first.
     */
    static List<Key> all() {
        List<Key> keys = new ArrayList<>(JOB_KEYS.values());
        for (ParamSpec<?> spec : FeedForwardParams.ALL) {
            if (!spec.isConfKey()) {
                continue;
            }
            String def = show(spec.defaultValue(Task.CLASSIFICATION));
            String regressionDef = show(spec.defaultValue(Task.REGRESSION));
            if (!def.equals(regressionDef)) {
                def += " (regression: " + regressionDef + ")";
            }
            String doc = spec.doc(Task.CLASSIFICATION);
            String regressionDoc = spec.doc(Task.REGRESSION);
            if (!doc.equals(regressionDoc)) {
                doc = "classification: " + doc + "; regression: " + regressionDoc;
            }
            keys.add(new Key(spec.name(), def, doc));
        }
        return keys;
    }

    static String show(Object v) {
        if (v == null) {
            return "(none)";
        }
        if (v instanceof int[] a) {
            return java.util.Arrays.toString(a);
        }
        if (v instanceof double[] a) {
            return java.util.Arrays.toString(a);
        }
        return String.valueOf(v);
    }

    /** README's key table: one Markdown row per key, as {@code train --help-keys --markdown} prints it. */
    static String markdownTable() {
        StringBuilder md = new StringBuilder("| key | default | meaning |\n|---|---|---|\n");
        for (Key k : all()) {
            md.append("| `").append(k.name()).append("` | ").append(cell(k.defaultValue())).append(" | ")
                    .append(cell(k.doc())).append(" |\n");
        }
        return md.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    /** The known key nearest to an unknown one, by edit distance ignoring case. */
    static String nearest(String unknown) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : allNames()) {
            int d = editDistance(unknown.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best;
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int subst = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(subst, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
