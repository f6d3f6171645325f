package io.sparkprop.spark;

import java.util.Iterator;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsReader.Metadata;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.sql.SparkSession;
import scala.Option;

/**
 * The Spark and Scala calls whose signatures differ between the supported lines (Spark 3.5 on
 * Scala 2.12 or 2.13, Spark 4.0 to 4.2 on Scala 2.13), each written once in a form that compiles
 * and links against all of them. The rest of the code calls these instead of the Spark API.
 */
public final class SparkApiBridge {
    private SparkApiBridge() {
    }

    /**
     * Spark ML's {@code metadata/} folder for {@code instance}. Spark 4 added SparkSession
     * overloads with default arguments; Spark 3.5 has only the SparkContext one, which 4.x keeps
     * with all five arguments, so that one is called, arguments spelled out.
     */
    public static void saveMetadata(Params instance, String path, SparkSession spark) {
        DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, spark.sparkContext(), Option.empty(),
                Option.empty());
    }

    /** Reads what {@link #saveMetadata} wrote (any class name accepted; the caller checks it). */
    public static Metadata loadMetadata(String path, SparkSession spark) {
        return DefaultParamsReader$.MODULE$.loadMetadata(path, spark.sparkContext(), "");
    }

    /**
     * A Scala iterator seen as a Java one. Scala 2.13 has {@code scala.jdk.javaapi.CollectionConverters},
     * 2.12 has {@code scala.collection.JavaConverters}; neither exists on both, hasNext/next do.
     */
    public static <T> Iterator<T> asJava(scala.collection.Iterator<T> it) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public T next() {
                return it.next();
            }
        };
    }

    /**
     * A Java list as a Scala collection (e.g. for ParamGridBuilder.addGrid), same reason. Built by
     * prepending to Nil: {@code ::} and {@code Nil} are the same in 2.12 and 2.13, while the
     * builders and {@code Growable} moved between packages.
     */
    public static <T> scala.collection.Iterable<T> asScala(java.util.List<T> list) {
        return asScalaList(list);
    }

    /** As {@link #asScala}, typed as the list it is: a {@code Seq} in 2.12 and in 2.13 alike. */
    @SuppressWarnings("unchecked")
    public static <T> scala.collection.immutable.List<T> asScalaList(java.util.List<T> list) {
        scala.collection.immutable.List<T> out = (scala.collection.immutable.List<T>) (Object)
                scala.collection.immutable.Nil$.MODULE$;
        for (int i = list.size() - 1; i >= 0; i--) {
            out = out.$colon$colon(list.get(i));
        }
        return out;
    }
}
