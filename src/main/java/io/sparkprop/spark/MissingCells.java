package io.sparkprop.spark;

import io.sparkprop.data.InputException;
import java.util.Locale;

/**
 * What a table's empty or null cells mean (the key {@code data.missing}): an error that names the
 * file, line and column; rows left out; or the training mean for numbers and a category of their
 * own for text. A row without a label is left out under both drop and mean: a label cannot be
 * imputed.
 */
public enum MissingCells {
    ERROR, DROP, MEAN;

    /** The category an empty text cell becomes under {@link #MEAN}. */
    public static final String MISSING_CATEGORY = "(missing)";

    public String keyValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MissingCells of(String value) {
        for (MissingCells m : values()) {
            if (m.keyValue().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new InputException("key data.missing: '" + value + "' is not one of error, drop, mean");
    }
}
