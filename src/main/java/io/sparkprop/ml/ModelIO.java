package io.sparkprop.ml;

import io.sparkprop.data.InputException;
import io.sparkprop.data.Standardizer;
import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.Topology;
import io.sparkprop.spark.SparkApiBridge;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader.Metadata;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * A model on disk, in Spark ML's layout: {@code metadata/} (class, uid, params as JSON, written
 * by Spark's DefaultParamsWriter) and {@code data/} (one Parquet row: topology, flat weights,
 * standardisation, target encoding). No Java serialization is written or read.
 */
final class ModelIO {
    private ModelIO() {
    }

    static final StructType SCHEMA = new StructType()
            .add("widths", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
            .add("hiddenActivation", DataTypes.StringType, false)
            .add("outputActivation", DataTypes.StringType, false)
            .add("loss", DataTypes.StringType, false)
            .add("weights", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
            .add("classes", DataTypes.IntegerType, false)
            .add("targetMean", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
            .add("targetScale", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
            .add("featureMean", DataTypes.createArrayType(DataTypes.DoubleType, false), true)
            .add("featureStd", DataTypes.createArrayType(DataTypes.DoubleType, false), true);

    static final class Writer extends MLWriter {
        private final Params instance;
        private final TrainedNetwork network;

        Writer(Params instance, TrainedNetwork network) {
            this.instance = instance;
            this.network = network;
        }

        @Override
        public void saveImpl(String path) {
            SparkSession spark = sparkSession();
            SparkApiBridge.saveMetadata(instance, path, spark);
            Topology t = network.topology;
            Standardizer st = network.standardizer;
            TargetEncoder targets = network.targets;
            Row row = RowFactory.create(t.widths(), t.hiddenActivation().paramName(),
                    t.outputActivation().paramName(), t.loss().paramName(), network.weights,
                    targets.classCount(), targets.targetMeans(), targets.targetScales(),
                    st == null ? null : st.mean(), st == null ? null : st.std());
            spark.createDataFrame(List.of(row), SCHEMA).repartition(1).write().parquet(path + "/data");
        }
    }

    static final class Reader<M> extends MLReader<M> {
        private final Class<M> type;
        private final BiFunction<String, TrainedNetwork, M> make;

        Reader(Class<M> type, BiFunction<String, TrainedNetwork, M> make) {
            this.type = type;
            this.make = make;
        }

        @Override
        public M load(String path) {
            SparkSession spark = sparkSession();
            Metadata metadata;
            try {
                metadata = SparkApiBridge.loadMetadata(path, spark);
            } catch (Exception e) {
                throw new IllegalArgumentException("model folder " + path + ": no readable metadata ("
                        + InputException.firstLine(e) + ")", e);
            }
            if (!metadata.className().equals(type.getName())) {
                throw new IllegalArgumentException("model folder " + path + " holds a " + metadata.className()
                        + ", not a " + type.getName());
            }
            TrainedNetwork network;
            try {
                Row row = spark.read().parquet(path + "/data").first();
                network = toNetwork(row);
            } catch (Exception e) {
                throw new IllegalArgumentException("model folder " + path + ": data/ is missing or damaged ("
                        + InputException.firstLine(e) + ")", e);
            }
            M model = make.apply(metadata.uid(), network);
            metadata.getAndSetParams((Params) model, Option.empty());
            return model;
        }
    }

    static TrainedNetwork toNetwork(Row row) {
        int[] widths = row.<Integer>getList(0).stream().mapToInt(Integer::intValue).toArray();
        Topology t = new Topology(widths, Activation.fromParam(row.getString(1)),
                Activation.fromParam(row.getString(2)), Loss.fromParam(row.getString(3)));
        double[] weights = doubles(row.getList(4));
        int classes = row.getInt(5);
        TargetEncoder targets = classes > 0 ? TargetEncoder.classes(classes, t.loss())
                : TargetEncoder.regression(doubles(row.getList(6)), doubles(row.getList(7)));
        Standardizer st = row.isNullAt(8) ? null : new Standardizer(doubles(row.getList(8)), doubles(row.getList(9)));
        return new TrainedNetwork(t, weights, st, targets);
    }

    private static double[] doubles(List<Double> list) {
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
