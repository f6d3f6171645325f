package io.sparkprop.ml;

import org.apache.spark.ml.util.Identifiable$;

/**
 * Hands a uid to an ML object before its Scala superclass constructor runs. Spark's param
 * traits create their Params during that constructor and ask {@code uid()} for the owner, so
 * a Java subclass must answer before its own fields are assigned: the constructor stores the
 * uid here (as an argument expression, which Java evaluates before {@code super()}), and
 * {@code uid()} takes it on first call.
 */
final class PendingUid {
    private static final ThreadLocal<String> NEXT = new ThreadLocal<>();

    private PendingUid() {
    }

    static Void set(String uid) {
        NEXT.set(uid);
        return null;
    }

    static String take(String prefix) {
        String uid = NEXT.get();
        NEXT.remove();
        return uid != null ? uid : Identifiable$.MODULE$.randomUID(prefix);
    }

    static String random(String prefix) {
        return Identifiable$.MODULE$.randomUID(prefix);
    }
}
