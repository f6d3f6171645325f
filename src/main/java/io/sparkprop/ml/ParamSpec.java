package io.sparkprop.ml;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import scala.Function1;

/**
 * One hyperparameter as it is declared once (in {@link FeedForwardParams}): name, doc, default
 * and validation, each of which may depend on the {@link Task}. Every estimator and model makes
 * its Spark {@link Param} from it; the command line's conf keys, {@code --help-keys} and
 * README's key table are read from it too.
 *
 * @param <P> the Spark param type, so that accessors keep their types (DoubleParam, IntParam, ...)
 */
public final class ParamSpec<P extends Param<?>> {

    /** A validator that travels with the model to executors. */
    public interface Check extends Serializable {
        boolean test(Object value);
    }

    private interface Maker<P> extends Serializable {
        P make(Params owner, String name, String doc, Function1<Object, Object> valid);
    }

    private final String name;
    private final boolean confKey;
    private final Function<Task, String> doc;
    private final Function<Task, Object> defaultValue; // null: no default (unset until given)
    private final Function<Task, Check> check;         // null: any value
    private final Maker<P> maker;

    private ParamSpec(String name, boolean confKey, Function<Task, String> doc, Function<Task, Object> defaultValue,
                      Function<Task, Check> check, Maker<P> maker) {
        this.name = name;
        this.confKey = confKey;
        this.doc = doc;
        this.defaultValue = defaultValue;
        this.check = check;
        this.maker = maker;
    }

    public static ParamSpec<DoubleParam> doubles(String name, String doc, double defaultValue, Check check) {
        return new ParamSpec<>(name, true, t -> doc, t -> defaultValue, t -> check, DoubleParam::new);
    }

    public static ParamSpec<IntParam> ints(String name, String doc, int defaultValue, Check check) {
        return new ParamSpec<>(name, true, t -> doc, t -> defaultValue, t -> check, IntParam::new);
    }

    public static ParamSpec<LongParam> longs(String name, String doc, long defaultValue) {
        return new ParamSpec<>(name, true, t -> doc, t -> defaultValue, null, LongParam::new);
    }

    public static ParamSpec<BooleanParam> booleans(String name, String doc, boolean defaultValue) {
        return new ParamSpec<>(name, true, t -> doc, t -> defaultValue, null,
                (owner, n, d, valid) -> new BooleanParam(owner, n, d));
    }

    public static ParamSpec<IntArrayParam> intArrays(String name, String doc, int[] defaultValue, Check check) {
        return new ParamSpec<>(name, true, t -> doc, t -> defaultValue.clone(), t -> check,
                (owner, n, d, valid) -> new IntArrayParam(owner, n, d, cast(valid)));
    }

    public static ParamSpec<DoubleArrayParam> doubleArrays(String name, String doc, double[] defaultValue,
                                                           Check check) {
        return new ParamSpec<>(name, true, t -> doc, t -> defaultValue.clone(), t -> check,
                (owner, n, d, valid) -> new DoubleArrayParam(owner, n, d, cast(valid)));
    }

    /** A string that must be one of {@code allowed}; the first is the default. */
    public static ParamSpec<Param<String>> choice(String name, String doc, String... allowed) {
        List<String> values = Arrays.asList(allowed);
        return new ParamSpec<>(name, true, t -> doc, t -> allowed[0], t -> oneOf(values), ParamSpec::strings);
    }

    /** A string that must be one of the task's values; the first of them is the default. */
    public static ParamSpec<Param<String>> taskChoice(String name, Function<Task, String> doc,
                                                      Function<Task, List<String>> allowed) {
        return new ParamSpec<>(name, true, doc, t -> allowed.apply(t).get(0), t -> oneOf(allowed.apply(t)),
                ParamSpec::strings);
    }

    /** A string with no default: unset means "not used". */
    public static ParamSpec<Param<String>> optionalString(String name, String doc) {
        return new ParamSpec<>(name, true, t -> doc, null, null, ParamSpec::strings);
    }

    /** A string with no default that {@code check} must accept when it is set. */
    public static ParamSpec<Param<String>> optionalString(String name, String doc, Check check) {
        return new ParamSpec<>(name, true, t -> doc, null, t -> check, ParamSpec::strings);
    }

    /** A vector with no default, set from code only (not a conf key). */
    public static ParamSpec<Param<Vector>> optionalVector(String name, String doc) {
        return new ParamSpec<>(name, false, t -> doc, null, null,
                (owner, n, d, valid) -> new Param<Vector>(owner, n, d, cast(valid)));
    }

    /** This param, but not settable from a conf file (the command line sets it itself). */
    public ParamSpec<P> notAConfKey() {
        return new ParamSpec<>(name, false, doc, defaultValue, check, maker);
    }

    public String name() {
        return name;
    }

    /** Whether a job's properties file may set it (then its name is the key). */
    public boolean isConfKey() {
        return confKey;
    }

    public String doc(Task task) {
        return doc.apply(task);
    }

    /** The default for a task, or null when the param has none. */
    public Object defaultValue(Task task) {
        return defaultValue == null ? null : defaultValue.apply(task);
    }

    P create(Params owner, Task task) {
        Check c = check == null ? null : check.apply(task);
        Function1<Object, Object> valid = c == null ? alwaysValid() : fn(c);
        return maker.make(owner, name, doc.apply(task), valid);
    }

    /** Spark's validator for "lower &lt;= x &lt; upper" and friends, as a Check. */
    public static Check inRange(double lower, double upper, boolean lowerInclusive, boolean upperInclusive) {
        return v -> {
            double x = ((Number) v).doubleValue();
            return (lowerInclusive ? x >= lower : x > lower) && (upperInclusive ? x <= upper : x < upper);
        };
    }

    public static Check atLeast(double lower) {
        return v -> ((Number) v).doubleValue() >= lower;
    }

    public static Check above(double lower) {
        return v -> ((Number) v).doubleValue() > lower;
    }

    private static Check oneOf(List<String> allowed) {
        List<String> copy = List.copyOf(allowed);
        return v -> v != null && copy.contains(v);
    }

    private static Param<String> strings(Params owner, String name, String doc, Function1<Object, Object> valid) {
        return new Param<>(owner, name, doc, cast(valid));
    }

    private static Function1<Object, Object> alwaysValid() {
        return fn(v -> true);
    }

    private static Function1<Object, Object> fn(Check check) {
        return (Function1<Object, Object> & Serializable) check::test;
    }

    @SuppressWarnings("unchecked")
    private static <T> Function1<T, Object> cast(Function1<Object, Object> f) {
        return (Function1<T, Object>) (Function1<?, ?>) f;
    }
}
