package io.sparkprop.data;

/** A row that cannot be trained on; {@link #rowIndex()} counts from 0 within what was being read. */
public final class BadRowException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final long rowIndex;
    private final String reason;

    public BadRowException(long rowIndex, String reason) {
        super("row " + (rowIndex + 1) + ": " + reason);
        this.rowIndex = rowIndex;
        this.reason = reason;
    }

    public long rowIndex() {
        return rowIndex;
    }

    public String reason() {
        return reason;
    }
}
