package io.sparkprop.ml;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The Param objects of one estimator or model, made from {@link FeedForwardParams#ALL} for its
 * {@link Task}, with their defaults set on the owner. Each owner holds one and exposes its
 * params through {@link FeedForwardParams}; an estimator's fit options that are not params
 * (listener, resume) sit here too, so that neither estimator repeats them.
 */
public final class FeedForwardParamSet implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, Param<?>> params = new LinkedHashMap<>();
    private transient NetworkFit.Options fitOptions;

    FeedForwardParamSet(Params owner, Task task) {
        for (ParamSpec<?> spec : FeedForwardParams.ALL) {
            Param<?> p = spec.create(owner, task);
            params.put(spec.name(), p);
            Object d = spec.defaultValue(task);
            if (d != null) {
                owner.setDefault(cast(p), d);
            }
        }
    }

    /** Not saved, not copied: a copy or a loaded estimator starts with none. */
    NetworkFit.Options fitOptions() {
        return fitOptions != null ? fitOptions : (fitOptions = new NetworkFit.Options());
    }

    @SuppressWarnings("unchecked")
    <P extends Param<?>> P get(ParamSpec<P> spec) {
        return (P) params.get(spec.name());
    }

    @SuppressWarnings("unchecked")
    private static Param<Object> cast(Param<?> p) {
        return (Param<Object>) p;
    }
}
